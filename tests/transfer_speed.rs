//! How many connections a download opens against the demo server: more than four on a link capped
//! per connection, no more than `--connections`, and fewer when the host refuses some. Counts and
//! states only, no timing.

mod common;

use k2s::demo::{DemoServer, Faults, Shapes};

const MIB: u64 = 1 << 20;

use common::transfer_cli::{download, md5_hex, random_bytes, upload};

async fn server(shape: Shapes) -> DemoServer {
    common::demo_server(shape).await
}

shaped! { multi_thread;
    /// 2 MiB/s per connection: the connections multiply while the total grows, past the old
    /// four and up to `--connections`.
    async fn a_per_connection_cap_opens_more_than_four(shape) {
        let demo = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = demo.api_url();
        let data = random_bytes(40 * MIB);
        let id = upload(&api, dir.path(), "capped.bin", &data).await;
        demo.set_faults(Faults {
            bandwidth: Some(2 * MIB),
            ..Faults::default()
        });
        let got = download(&api, dir.path(), &id, "six", "capped.bin", &["--connections", "6"]).await;
        assert_eq!(md5_hex(&got), md5_hex(&data));
        let six = demo.download_streams_peak();
        assert!(six > 4 && six <= 6, "{six} connections at most with --connections 6");

        let got = download(&api, dir.path(), &id, "all", "capped.bin", &[]).await;
        assert_eq!(md5_hex(&got), md5_hex(&data));
        let all = demo.download_streams_peak();
        assert!(all > 6, "only {all} connections at once on a capped link");
        assert!(all <= 16, "{all} connections: more than the default ceiling");
        assert_eq!(demo.download_refusals(), 0);
        demo.shutdown().await;
    }
}

shaped! { multi_thread;
    /// The host serves three connections at once and answers 503 beyond them: the download
    /// keeps the three, stops asking for more and completes with the right md5.
    async fn a_connection_limit_is_backed_off_from(shape) {
        let demo = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = demo.api_url();
        let data = random_bytes(24 * MIB);
        let id = upload(&api, dir.path(), "limited.bin", &data).await;
        demo.set_faults(Faults {
            bandwidth: Some(2 * MIB),
            max_download_connections: Some(3),
            ..Faults::default()
        });
        let got = download(&api, dir.path(), &id, "dl", "limited.bin", &[]).await;
        assert_eq!(md5_hex(&got), md5_hex(&data));
        assert_eq!(demo.download_streams_peak(), 3, "the three allowed connections were used");
        let refused = demo.download_refusals();
        assert!(
            (1..=3).contains(&refused),
            "{refused} refused GETs: the download should ask beyond the limit once or twice, then stay"
        );
        demo.shutdown().await;
    }
}
