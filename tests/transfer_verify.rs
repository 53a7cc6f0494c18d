//! The verified download on a fast link: one connection on loopback, the md5 computed from the
//! chunks in memory as they arrive, right even when the host cuts the connection mid-chunk.

mod common;

use k2s::demo::{DemoServer, Faults, Shapes};

const MIB: u64 = 1 << 20;

use common::transfer_cli::{download, md5_hex, random_bytes, upload};

async fn server(shape: Shapes) -> DemoServer {
    common::demo_server(shape).await
}

/// The tests of this file run one at a time. Whether one stream fills the loopback link depends
/// on the CPU the download gets: with another test's 48 MiB upload, random data and md5 running
/// beside it on two cores, the first measured window can fall below the one-stream threshold and
/// the ramp rightly opens more connections. Each test holds this for its whole run.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

shaped! { multi_thread;
    /// Uncapped loopback: one stream fills it, so the download stays on one connection (more
    /// would only put the chunks out of the md5's order), and the md5 it verified is right.
    async fn an_uncapped_download_uses_one_connection(shape) {
        let _alone = ONE_AT_A_TIME.lock().await;
        let demo = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = demo.api_url();
        let data = random_bytes(48 * MIB);
        let id = upload(&api, dir.path(), "fast.bin", &data).await;
        let got = download(&api, dir.path(), &id, "dl", "fast.bin", &[]).await;
        assert_eq!(md5_hex(&got), md5_hex(&data));
        assert_eq!(demo.download_streams_peak(), 1, "connections at once on loopback");
        demo.shutdown().await;
    }
}

shaped! { multi_thread;
    /// The host closes every connection after an odd number of bytes: each range resumes in
    /// the middle of one of the client's chunks, and the md5 still covers every byte once.
    async fn cuts_in_the_middle_of_chunks_keep_the_md5_right(shape) {
        let _alone = ONE_AT_A_TIME.lock().await;
        let demo = server(shape).await;
        let dir = tempfile::tempdir().unwrap();
        let api = demo.api_url();
        let data = random_bytes(12 * MIB + 12_345);
        let id = upload(&api, dir.path(), "cut.bin", &data).await;
        demo.set_faults(Faults {
            drop_download_after: Some(MIB + 4_321),
            ..Faults::default()
        });
        let got = download(&api, dir.path(), &id, "dl", "cut.bin", &[]).await;
        assert_eq!(got.len(), data.len());
        assert_eq!(md5_hex(&got), md5_hex(&data));
        demo.shutdown().await;
    }
}
