//! Deterministic seed data. Ids never change between runs, so other tests can name them.
//!
//! Every account's root folder has an id of its own (`ids::ROOT`, `ids::FREE_ROOT`,
//! `ids::CAPTCHA_ROOT`): replies show it as the parent of top-level items; requests may name the
//! root by it or by "/".
//!
//! Premium account (also the partner token's storage), root `root000000001`:
//!
//! | path | id | notes |
//! |---|---|---|
//! | /README.txt | `readme0000001` | text, public |
//! | /notes-2024.md | `notes00000001` | text |
//! | /A very long file name … (2).txt | `longname00001` | 117-char name |
//! | /../../etc/passwd ../evil.txt | `dotdot0000001` | name holds "../" and "/" |
//! | /ESC[31mred alertESC[0m.txt | `ansi000000001` | name holds ANSI escapes |
//! | /日本語のファイル名.txt | `cjk0000000001` | CJK name |
//! | /=?utf-8?B?…?= | `rfc2047000001` | RFC 2047 name, decodes to "Привет мир.txt" |
//! | /diagram.png | `image00000002` | image/png |
//! | /Movies | `movies0000001` | folder |
//! | /Movies/Big Buck Bunny.mp4 | `video00000001` | 2.5 MiB, video_info, metadata, 42 downloads |
//! | /Movies/Sintel.mkv | `video00000002` | access premium (free users get 21/7), video_info |
//! | /Movies/blocked-video.mp4 | `blocked000001` | abuse-blocked: is_available false, getUrl 22 |
//! | /Movies/2024 | `movies2024001` | folder |
//! | /Movies/2024/Holiday 2024.mp4 | `video00000003` | video_info, metadata |
//! | /Movies/2024/trailer.webm | `video00000004` | video_info, metadata with 50 tags |
//! | /Documents | `documents0001` | folder |
//! | /Documents/report.pdf | `doc0000000001` | metadata |
//! | /Documents/budget 2024.xlsx | `doc0000000002` | |
//! | /Documents/contract.docx | `doc0000000003` | |
//! | /Documents/private-notes.txt | `private000001` | access private (others get 21/8) |
//! | /Documents/Private | `docsprivate01` | folder, access private |
//! | /Documents/Private/passwords.kdbx | `private000002` | access private |
//! | /Documents/Archive | `archive000001` | folder; shares its name with the top-level /Archive |
//! | /Documents/Archive/2023-report.pdf | `archivefile01` | |
//! | /Music | `music00000001` | folder |
//! | /Music/01 - Opening.mp3, 02 - Интерлюдия.mp3 | `audio00000001`, `audio00000002` | |
//! | /Music/premium-album.flac | `premium000001` | access premium |
//! | /Music/album.zip | `albumzip00001` | |
//! | /写真 Photos | `photos0000001` | folder with a CJK name |
//! | /写真 Photos/🎉 party time 🎈.jpg | `emoji00000001` | emoji name |
//! | /写真 Photos/beach.jpg | `image00000001` | |
//! | /Shared | `shared0000001` | folder, is_public (anonymous getFilesInfo/getFileStatus) |
//! | /Shared/shared-readme.txt | `sharedfile001` | |
//! | /Empty | `empty00000001` | empty folder |
//! | /Archive | `toparchive001` | folder with the same name as /Documents/Archive |
//! | /Archive/index.txt | `toparchfile01` | |
//! | /Archive/lost-tape.avi | `gone000000001` | gone from storage: is_available false, storage_object "deleted" |
//! | /Archive/held-back.zip | `unavail000001` | unavailable: is_available false, no abuse, still stored |
//! | /big | `big0000000001` | only with `big_folder: Some(N)`: files `big-000001.bin`.. with ids `b000000000001`.. |
//!
//! Free account, root `freeroot00001`:
//!
//! | path | id | notes |
//! |---|---|---|
//! | /free-notes.txt | `freefile00001` | |
//! | /Uploads | `freefolder001` | folder, not public: others get an error for it |
//! | /Uploads/holiday.jpg | `freefile00002` | |
//! | /Public Stuff | `freepublic001` | folder, is_public: others list it with getFileStatus |
//! | /Public Stuff/guide.pdf | `freepubfile01` | |
//! | /Public Stuff/sunset.jpg | `freepubfile02` | |
//! | /Public Stuff/More | `freepubsub001` | folder, is_public |
//! | /Public Stuff/More/extra.txt | `freepubfile03` | |
//!
//! reCaptcha account, root `captcharoot01`: /hello.txt `captchafile01`.

use super::accounts::Acct;
use super::state::{Access, Blob, Meta, Node, ROOT, Source, State, Storage, Video};
use crate::md5sum::Md5;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::path::Path;
use std::sync::Arc;

/// Seed ids (13 characters of [a-z0-9]).
pub mod ids {
    /// The premium account's root folder (also the partner token's).
    pub const ROOT: &str = "root000000001";
    pub const FREE_ROOT: &str = "freeroot00001";
    pub const CAPTCHA_ROOT: &str = "captcharoot01";

    pub const MOVIES: &str = "movies0000001";
    pub const MOVIES_2024: &str = "movies2024001";
    pub const DOCUMENTS: &str = "documents0001";
    pub const DOCS_PRIVATE: &str = "docsprivate01";
    pub const MUSIC: &str = "music00000001";
    pub const PHOTOS: &str = "photos0000001";
    pub const SHARED: &str = "shared0000001";
    pub const EMPTY: &str = "empty00000001";
    pub const BIG: &str = "big0000000001";

    pub const README: &str = "readme0000001";
    pub const NOTES: &str = "notes00000001";
    pub const LONG_NAME: &str = "longname00001";
    pub const DOTDOT: &str = "dotdot0000001";
    pub const ANSI: &str = "ansi000000001";
    pub const CJK: &str = "cjk0000000001";
    pub const RFC2047: &str = "rfc2047000001";
    pub const DIAGRAM: &str = "image00000002";
    pub const VIDEO_BUNNY: &str = "video00000001";
    pub const VIDEO_SINTEL_PREMIUM: &str = "video00000002";
    pub const BLOCKED: &str = "blocked000001";
    pub const VIDEO_HOLIDAY: &str = "video00000003";
    pub const VIDEO_TRAILER: &str = "video00000004";
    pub const REPORT: &str = "doc0000000001";
    pub const BUDGET: &str = "doc0000000002";
    pub const CONTRACT: &str = "doc0000000003";
    pub const PRIVATE_NOTES: &str = "private000001";
    pub const PASSWORDS: &str = "private000002";
    pub const TRACK1: &str = "audio00000001";
    pub const TRACK2: &str = "audio00000002";
    pub const PREMIUM_ALBUM: &str = "premium000001";
    pub const ALBUM_ZIP: &str = "albumzip00001";
    /// The folder /Documents/Archive.
    pub const ARCHIVE: &str = "archive000001";
    pub const ARCHIVE_REPORT: &str = "archivefile01";
    /// The top-level folder /Archive.
    pub const TOP_ARCHIVE: &str = "toparchive001";
    pub const TOP_ARCHIVE_INDEX: &str = "toparchfile01";
    /// /Archive/lost-tape.avi: gone from storage.
    pub const GONE: &str = "gone000000001";
    /// /Archive/held-back.zip: not available, though neither blocked nor gone.
    pub const UNAVAILABLE: &str = "unavail000001";
    pub const EMOJI: &str = "emoji00000001";
    pub const BEACH: &str = "image00000001";
    pub const SHARED_FILE: &str = "sharedfile001";

    pub const FREE_FOLDER: &str = "freefolder001";
    pub const FREE_FILE: &str = "freefile00001";
    pub const FREE_PHOTO: &str = "freefile00002";
    /// The free account's public folder "/Public Stuff".
    pub const FREE_PUBLIC: &str = "freepublic001";
    pub const FREE_PUBLIC_GUIDE: &str = "freepubfile01";
    pub const FREE_PUBLIC_PHOTO: &str = "freepubfile02";
    pub const FREE_PUBLIC_SUB: &str = "freepubsub001";
    pub const FREE_PUBLIC_EXTRA: &str = "freepubfile03";
    pub const CAPTCHA_FILE: &str = "captchafile01";
}

/// Names of seed files that tests often need.
pub mod names {
    pub const ANSI: &str = "\u{1b}[31mred alert\u{1b}[0m.txt";
    pub const DOTDOT: &str = "../../etc/passwd ../evil.txt";
    pub const CJK: &str = "日本語のファイル名.txt";
    pub const EMOJI: &str = "🎉 party time 🎈.jpg";
    pub const RFC2047: &str = "=?utf-8?B?0J/RgNC40LLQtdGCINC80LjRgC50eHQ=?=";
    pub const LONG_NAME: &str = "A very long file name that keeps going and going to test truncation in narrow terminal columns - final version (2).txt";
}

// `ROOT` below is the state's root ("/"), which this explicit import prefers over `ids::ROOT`.
use ids::*;

struct F {
    acct: Acct,
    id: &'static str,
    name: &'static str,
    parent: &'static str,
    /// 0 for a folder.
    size: u64,
    ctype: &'static str,
    access: Access,
    video: Option<(f64, u32, u32, &'static str, bool)>,
    blocked: bool,
    storage: Storage,
    downloads: u64,
    /// A folder others may list (is_public).
    public: bool,
}

#[rustfmt::skip]
fn table() -> Vec<F> {
    use Access::*;
    use Acct::{Free, Premium as P, Recaptcha};
    let dir = |acct, id, name, parent| F { acct, id, name, parent, size: 0, ctype: "", access: Public, video: None, blocked: false, storage: Storage::Available, downloads: 0, public: false };
    let f = |id, name, parent, size, ctype| F { acct: P, id, name, parent, size, ctype, access: Public, video: None, blocked: false, storage: Storage::Available, downloads: 0, public: false };
    vec![
        dir(P, MOVIES, "Movies", ROOT),
        dir(P, MOVIES_2024, "2024", MOVIES),
        dir(P, DOCUMENTS, "Documents", ROOT),
        F { access: Private, ..dir(P, DOCS_PRIVATE, "Private", DOCUMENTS) },
        dir(P, MUSIC, "Music", ROOT),
        dir(P, PHOTOS, "写真 Photos", ROOT),
        F { public: true, ..dir(P, SHARED, "Shared", ROOT) },
        dir(P, EMPTY, "Empty", ROOT),
        F { downloads: 3, ..f(README, "README.txt", ROOT, 2_345, "text/plain") },
        f(NOTES, "notes-2024.md", ROOT, 5_003, "text/markdown"),
        f(LONG_NAME, names::LONG_NAME, ROOT, 777, "text/plain"),
        f(DOTDOT, names::DOTDOT, ROOT, 1_111, "text/plain"),
        f(ANSI, names::ANSI, ROOT, 999, "text/plain"),
        f(CJK, names::CJK, ROOT, 4_321, "text/plain"),
        f(RFC2047, names::RFC2047, ROOT, 1_500, "text/plain"),
        f(DIAGRAM, "diagram.png", ROOT, 20_011, "image/png"),
        F { video: Some((596.458, 1920, 1080, "MPEG-4", true)), downloads: 42, ..f(VIDEO_BUNNY, "Big Buck Bunny.mp4", MOVIES, 2_621_447, "video/mp4") },
        F { access: Premium, video: Some((888.0, 1280, 544, "Matroska", false)), downloads: 7, ..f(VIDEO_SINTEL_PREMIUM, "Sintel.mkv", MOVIES, 1_048_583, "video/x-matroska") },
        F { blocked: true, video: Some((120.5, 640, 360, "MPEG-4", true)), downloads: 1, ..f(BLOCKED, "blocked-video.mp4", MOVIES, 204_811, "video/mp4") },
        F { video: Some((95.2, 1280, 720, "MPEG-4", true)), downloads: 5, ..f(VIDEO_HOLIDAY, "Holiday 2024.mp4", MOVIES_2024, 786_451, "video/mp4") },
        F { video: Some((31.0, 854, 480, "WebM", true)), ..f(VIDEO_TRAILER, "trailer.webm", MOVIES_2024, 393_241, "video/webm") },
        F { downloads: 12, ..f(REPORT, "report.pdf", DOCUMENTS, 154_321, "application/pdf") },
        f(BUDGET, "budget 2024.xlsx", DOCUMENTS, 45_678, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        f(CONTRACT, "contract.docx", DOCUMENTS, 33_333, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        F { access: Private, ..f(PRIVATE_NOTES, "private-notes.txt", DOCUMENTS, 1_234, "text/plain") },
        F { access: Private, ..f(PASSWORDS, "passwords.kdbx", DOCS_PRIVATE, 8_199, "application/octet-stream") },
        F { downloads: 9, ..f(TRACK1, "01 - Opening.mp3", MUSIC, 345_679, "audio/mpeg") },
        f(TRACK2, "02 - Интерлюдия.mp3", MUSIC, 234_567, "audio/mpeg"),
        F { access: Premium, ..f(PREMIUM_ALBUM, "premium-album.flac", MUSIC, 456_789, "audio/flac") },
        f(ALBUM_ZIP, "album.zip", MUSIC, 123_457, "application/zip"),
        f(EMOJI, names::EMOJI, PHOTOS, 65_537, "image/jpeg"),
        f(BEACH, "beach.jpg", PHOTOS, 98_765, "image/jpeg"),
        f(SHARED_FILE, "shared-readme.txt", SHARED, 3_210, "text/plain"),
        dir(Free, FREE_FOLDER, "Uploads", ROOT),
        F { acct: Free, ..f(FREE_FILE, "free-notes.txt", ROOT, 2_048, "text/plain") },
        F { acct: Free, ..f(FREE_PHOTO, "holiday.jpg", FREE_FOLDER, 54_321, "image/jpeg") },
        F { acct: Recaptcha, ..f(CAPTCHA_FILE, "hello.txt", ROOT, 12, "text/plain") },
        // Added last so that the creation times of the entries above stay as they were.
        dir(P, ARCHIVE, "Archive", DOCUMENTS),
        F { downloads: 2, ..f(ARCHIVE_REPORT, "2023-report.pdf", ARCHIVE, 98_311, "application/pdf") },
        dir(P, TOP_ARCHIVE, "Archive", ROOT),
        f(TOP_ARCHIVE_INDEX, "index.txt", TOP_ARCHIVE, 1_337, "text/plain"),
        F { public: true, ..dir(Free, FREE_PUBLIC, "Public Stuff", ROOT) },
        F { acct: Free, ..f(FREE_PUBLIC_GUIDE, "guide.pdf", FREE_PUBLIC, 23_456, "application/pdf") },
        F { acct: Free, ..f(FREE_PUBLIC_PHOTO, "sunset.jpg", FREE_PUBLIC, 34_567, "image/jpeg") },
        F { public: true, ..dir(Free, FREE_PUBLIC_SUB, "More", FREE_PUBLIC) },
        F { acct: Free, ..f(FREE_PUBLIC_EXTRA, "extra.txt", FREE_PUBLIC_SUB, 777, "text/plain") },
        F { storage: Storage::Gone, downloads: 4, ..f(GONE, "lost-tape.avi", TOP_ARCHIVE, 77_773, "video/x-msvideo") },
        F { storage: Storage::Unavailable, downloads: 6, ..f(UNAVAILABLE, "held-back.zip", TOP_ARCHIVE, 12_347, "application/zip") },
    ]
}

fn base_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 15, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Deterministic body of a seed file: text for text types, pseudo-random bytes otherwise.
pub(crate) fn seed_body(id: &str, name: &str, size: u64, text: bool) -> Vec<u8> {
    let size = size as usize;
    let mut out = Vec::with_capacity(size + 64);
    if text {
        let mut n = 1;
        while out.len() < size {
            out.extend_from_slice(format!("Line {n} of {name} ({id})\n").as_bytes());
            n += 1;
        }
    } else {
        let mut x: u64 = id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        });
        let mut block = [0u8; 4096];
        for chunk in block.chunks_mut(8) {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            chunk.copy_from_slice(&(z ^ (z >> 31)).to_le_bytes());
        }
        let mut i: u64 = 0;
        while out.len() < size {
            block[..8].copy_from_slice(&i.to_le_bytes());
            out.extend_from_slice(&block);
            i += 1;
        }
    }
    out.truncate(size);
    out
}

/// Id of the i-th (1-based) generated file of the big folder.
pub fn big_file_id(i: usize) -> String {
    format!("b{i:012}")
}

/// Size of the i-th generated file (16..=1024 bytes).
pub(crate) fn big_size(i: u64) -> u64 {
    16 + (i.wrapping_mul(7919) % 1009)
}

/// Body of the i-th generated file of the big folder.
pub(crate) fn big_body(i: u64) -> Vec<u8> {
    let line = format!("k2s demo big file {i:06}\n");
    let size = big_size(i) as usize;
    let mut out = line.repeat(size / line.len() + 1).into_bytes();
    out.truncate(size);
    out
}

fn meta(title: &str, desc: &str, studio: &str, cats: &[&str], actresses: &[&str], tags: Vec<String>) -> Meta {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
    Meta {
        title: title.into(),
        description: desc.into(),
        studio: studio.into(),
        categories: v(cats),
        actresses: v(actresses),
        tags,
    }
}

/// Builds the seeded state, writing seed bodies under `dir/seed`.
pub(crate) fn build(dir: &Path, big_folder: Option<usize>) -> anyhow::Result<State> {
    let seed_dir = dir.join("seed");
    std::fs::create_dir_all(&seed_dir)?;
    std::fs::create_dir_all(dir.join("uploads"))?;
    let mut st = State::default();
    let base = base_time();
    for (i, f) in table().into_iter().enumerate() {
        let created = base + Duration::hours(i as i64 * 7);
        let blob = if f.size == 0 {
            None
        } else {
            let text = f.ctype.starts_with("text/");
            let body = seed_body(f.id, f.name, f.size, text);
            let path = seed_dir.join(f.id);
            std::fs::write(&path, &body)?;
            let md5 = Md5::hex_of(&body);
            Some(Arc::new(Blob {
                src: Source::Disk(path),
                size: f.size,
                md5,
            }))
        };
        st.insert(Node {
            id: f.id.into(),
            owner: f.acct,
            name: f.name.into(),
            parent: f.parent.into(),
            is_folder: f.size == 0,
            access: f.access,
            is_public: f.public,
            created,
            blob,
            content_type: f.ctype.into(),
            video: f
                .video
                .map(|(duration, width, height, format, streamable)| Video {
                    duration,
                    width,
                    height,
                    format,
                    streamable,
                }),
            blocked: f.blocked,
            storage: f.storage,
            downloads: f.downloads,
            last_download: (f.downloads > 0).then(|| base + Duration::days(200 + f.downloads as i64)),
        });
    }
    let tags = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    st.meta.insert(
        VIDEO_BUNNY.into(),
        meta(
            "Big Buck Bunny",
            "A giant rabbit takes revenge on three bullies.",
            "Blender Foundation",
            &["animation", "comedy"],
            &[],
            tags(&["bunny", "open-movie", "video_k2s"]),
        ),
    );
    st.meta.insert(
        VIDEO_HOLIDAY.into(),
        meta(
            "Holiday 2024",
            "Summer at the sea.",
            "Home Videos",
            &["travel", "family"],
            &["Jane Doe", "Ann Taylor"],
            tags(&["holiday", "video_k2s"]),
        ),
    );
    st.meta.insert(
        VIDEO_TRAILER.into(),
        meta(
            "Trailer",
            "Fifty tags, the most a list may hold.",
            "",
            &["trailer"],
            &[],
            (1..=50).map(|i| format!("tag{i:02}")).collect(),
        ),
    );
    st.meta.insert(
        REPORT.into(),
        meta(
            "Annual report 2024",
            "Numbers.",
            "",
            &["docs"],
            &[],
            tags(&["report"]),
        ),
    );
    for a in Acct::ALL {
        st.balances.insert(a, a.initial_balance());
    }
    st.next_code_id = 1;
    if let Some(n) = big_folder {
        add_big_folder(&mut st, n, base);
    }
    super::seed_links::add(&mut st, &seed_dir)?;
    Ok(st)
}

/// Folder "/big" with `n` generated files (bodies generated on demand from the index).
fn add_big_folder(st: &mut State, n: usize, base: DateTime<Utc>) {
    st.insert(Node::folder(
        BIG.into(),
        Acct::Premium,
        "big".into(),
        ROOT.into(),
        Access::Public,
        false,
        base,
    ));
    st.nodes.reserve(n);
    for i in 1..=n as u64 {
        let body = big_body(i);
        let blob = Arc::new(Blob {
            src: Source::Generated(i),
            size: body.len() as u64,
            md5: Md5::hex_of(&body),
        });
        st.insert(Node {
            id: big_file_id(i as usize),
            owner: Acct::Premium,
            name: format!("big-{i:06}.bin"),
            parent: BIG.into(),
            is_folder: false,
            access: Access::Public,
            is_public: false,
            created: base + Duration::seconds(i as i64),
            blob: Some(blob),
            content_type: "application/octet-stream".into(),
            video: None,
            blocked: false,
            storage: Storage::Available,
            downloads: 0,
            last_download: None,
        });
    }
}

/// Files per folder of the scale seed.
pub const SCALE_PER_FOLDER: usize = 100;
/// Folders per set folder of the scale seed.
const SCALE_DIRS_PER_SET: usize = 100;

/// Id of the i-th (1-based) file of the scale seed.
pub fn scale_file_id(i: usize) -> String {
    format!("s{i:012}")
}

/// A whole account's worth of items for the account index: `n` files in folders of
/// `SCALE_PER_FOLDER` under "/scale/set-NN/dir-NNNN" (500,000 files: 5,000 folders in 50
/// sets). Names vary for the finder; every 50th file repeats the body of the one before it
/// (duplicates); downloads, last downloads (up to 119 days before the server started) and a few abuse blocks vary for `health`. Bodies
/// are generated when downloaded, like the big folder's.
pub(crate) fn add_scale(st: &mut State, n: usize) {
    const WORDS: [&str; 16] = [
        "holiday",
        "report",
        "concert",
        "invoice",
        "lecture",
        "trailer",
        "backup",
        "scan",
        "album",
        "draft",
        "podcast",
        "sunset",
        "budget",
        "interview",
        "episode",
        "archive",
    ];
    const EXTS: [&str; 8] = ["mp4", "pdf", "jpg", "zip", "mkv", "mp3", "docx", "txt"];
    let (base, now) = (base_time(), Utc::now());
    let top = "scale00000001".to_string();
    st.insert(Node::folder(
        top.clone(),
        Acct::Premium,
        "scale".into(),
        ROOT.into(),
        Access::Public,
        false,
        base,
    ));
    let dirs = n.div_ceil(SCALE_PER_FOLDER);
    st.nodes.reserve(n + dirs + dirs / SCALE_DIRS_PER_SET + 1);
    for d in 0..dirs {
        let set = format!("sset{:09}", d / SCALE_DIRS_PER_SET + 1);
        if d % SCALE_DIRS_PER_SET == 0 {
            let name = format!("set-{:02}", d / SCALE_DIRS_PER_SET + 1);
            st.insert(Node::folder(
                set.clone(),
                Acct::Premium,
                name,
                top.clone(),
                Access::Public,
                false,
                base,
            ));
        }
        let dir = format!("sdir{:09}", d + 1);
        let name = format!("dir-{:04}", d + 1);
        st.insert(Node::folder(
            dir.clone(),
            Acct::Premium,
            name,
            set,
            Access::Public,
            false,
            base,
        ));
        let first = d * SCALE_PER_FOLDER + 1;
        for i in first..=(first + SCALE_PER_FOLDER - 1).min(n) {
            let body_of = if i % 50 == 0 { i - 1 } else { i } as u64;
            let body = big_body(body_of);
            let blob = Arc::new(Blob {
                src: Source::Generated(body_of),
                size: body.len() as u64,
                md5: Md5::hex_of(&body),
            });
            let downloads = (i % 7) as u64;
            st.insert(Node {
                id: scale_file_id(i),
                owner: Acct::Premium,
                name: format!(
                    "{}-{}-{i:06}.{}",
                    WORDS[i % 16],
                    WORDS[(i / 16) % 16],
                    EXTS[(i / 3) % 8]
                ),
                parent: dir.clone(),
                is_folder: false,
                access: Access::Public,
                is_public: false,
                created: base + Duration::seconds(i as i64),
                blob: Some(blob),
                content_type: "application/octet-stream".into(),
                video: None,
                blocked: i % 10_000 == 0,
                storage: Storage::Available,
                downloads,
                last_download: (downloads > 0).then(|| now - Duration::days((i % 120) as i64)),
            });
        }
    }
}
