//! The non-interactive commands, on the same `api` and `transfer` code as the TUI.

pub mod account;
pub mod args;
pub mod batch;
pub mod browse;
pub mod captcha_art;
pub mod check_cmd;
pub mod completions;
pub mod ctx;
pub mod exit;
pub mod index_args;
pub mod index_cmd;
pub mod index_query;
pub mod keys_cmd;
pub mod link_cmd;
pub mod locate;
pub mod meta_cmd;
pub mod organize;
pub mod output;
pub mod profiles_cmd;
pub mod prompt;
pub mod repair_cmd;
pub mod status_cmd;
pub mod transfer_cmd;
mod tui_start;

use crate::api::{ApiError, Credentials};
use crate::demo::{DemoOptions, DemoServer, accounts};
use args::{Cli, Command};
use std::process::ExitCode;

/// Run the parsed command line; the binary's whole life.
pub async fn run(cli: Cli) -> ExitCode {
    match run_inner(cli).await {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            exit::Exit::of_error(&e).into()
        }
    }
}

fn report_error(e: &anyhow::Error) {
    let msg = crate::api::redact_text(&format!("{e:#}"));
    eprintln!("k2s: error: {}", crate::text::sanitize(&msg));
    if let Some(api) = e.downcast_ref::<ApiError>() {
        let hint = api.hint();
        if !hint.is_empty() {
            eprintln!("k2s: hint: {hint}");
        }
    }
}

async fn run_inner(cli: Cli) -> anyhow::Result<ExitCode> {
    let Cli { global, command } = cli;
    if let Some(done) = completions::run_standalone(&command) {
        return done;
    }
    if let Some(Command::DemoServer(opts)) = command {
        return demo_server(opts).await;
    }
    let (config, config_dir, state_dir) = ctx::load_config(&global)?;
    if let Some(Command::Keys(a)) = &command {
        restore_sigpipe();
        return keys_cmd::run(&config, a);
    }
    if let Some(Command::Profiles) = &command {
        restore_sigpipe();
        return profiles_cmd::run(&global, &config, &config_dir);
    }
    let _log_guard = crate::logging::init(&state_dir);
    let mut cc = ctx::client_config(&global, &config, &config_dir);
    let demo = if global.demo {
        let server = DemoServer::start(DemoOptions {
            shapes: global.shapes,
            no_parent_arrays: global.no_parent_arrays,
            ..DemoOptions::default()
        })
        .await?;
        cc.base_url = server.api_url();
        cc.credentials = Credentials {
            access_token: None,
            username: Some(accounts::PREMIUM_USER.into()),
            password: Some(accounts::PREMIUM_PASSWORD.into()),
        };
        // The demo session lives and dies with this process: nothing cached on disk.
        cc.session_file = None;
        Some(server)
    } else {
        None
    };
    let server_dir = ctx::server_state_dir(&state_dir, &cc.base_url, demo.is_some());
    let Some(command) = command else {
        let opts = tui_start::options(&global, config, config_dir, server_dir, cc, demo.is_some());
        crate::tui::run(opts).await?;
        return Ok(ExitCode::SUCCESS);
    };
    restore_sigpipe();
    cc.retry_notice = Some(output::retry_notice());
    let ctx = ctx::Ctx::new(global, cc, config, config_dir, server_dir)?;
    if demo.is_some() {
        ctx.client
            .login(&crate::api::LoginRequest {
                username: accounts::PREMIUM_USER.into(),
                password: accounts::PREMIUM_PASSWORD.into(),
                ..Default::default()
            })
            .await?;
    }
    let code = dispatch_interruptible(&ctx, command).await?;
    if let Some(server) = demo {
        server.shutdown().await;
    }
    Ok(code)
}

/// The command, ended with exit code 130 by Ctrl-C. The transfer commands handle it
/// themselves (the queue is saved first), and login keeps the default (its password prompt
/// must get the terminal's echo back).
async fn dispatch_interruptible(ctx: &ctx::Ctx, command: Command) -> anyhow::Result<ExitCode> {
    let own_handler = matches!(
        command,
        Command::Login(_)
            | Command::Upload(_)
            | Command::Download(_)
            | Command::RemoteUpload(_)
            | Command::Queue(_)
    );
    if !own_handler {
        // On its own task, so that it is heard while the command blocks on a prompt.
        tokio::spawn(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("\nk2s: interrupted");
                std::process::exit(exit::Exit::Interrupted.code().into());
            }
        });
    }
    dispatch(ctx, command).await
}

async fn dispatch(ctx: &ctx::Ctx, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Login(a) => account::login(ctx, &a).await?,
        Command::Logout => account::logout(ctx)?,
        Command::Account(a) => account::account(ctx, &a).await?,
        Command::ResellerCode(a) => account::reseller_code(ctx, &a).await?,
        Command::Status(a) => return status_cmd::status(ctx, &a).await,
        Command::Ls(a) => browse::ls(ctx, &a).await?,
        Command::Tree => browse::tree(ctx).await?,
        Command::Info(a) => return Ok(browse::info(ctx, &a).await?.into()),
        Command::Link(a) => return Ok(link_cmd::link(ctx, &a).await?.into()),
        Command::Check(a) => return check_cmd::check(ctx, &a).await,
        Command::Url(a) => browse::url(ctx, &a).await?,
        Command::FindMd5(a) => return Ok(browse::find_md5(ctx, &a).await?.into()),
        Command::Mkdir(a) => organize::mkdir(ctx, &a).await?,
        Command::Mv(a) => return Ok(organize::mv(ctx, &a).await?.into()),
        Command::Rename(a) => organize::rename(ctx, &a).await?,
        Command::Access(a) => return Ok(organize::access(ctx, &a).await?.into()),
        Command::Rm(a) => return Ok(organize::rm(ctx, &a).await?.into()),
        Command::Index(a) => index_cmd::index(ctx, &a).await?,
        Command::Find(a) => return Ok(index_query::find(ctx, &a)?.into()),
        Command::Du(a) => index_query::du(ctx, &a)?,
        Command::Dupes => index_query::dupes(ctx)?,
        Command::Health(a) => index_query::health(ctx, &a)?,
        Command::Export(a) => index_query::export(ctx, &a)?,
        Command::Upload(a) => return transfer_cmd::upload(ctx, &a).await,
        Command::Download(a) => return transfer_cmd::download(ctx, &a).await,
        Command::RemoteUpload(a) => return transfer_cmd::remote_upload(ctx, &a).await,
        Command::Queue(a) => return transfer_cmd::queue(ctx, &a).await,
        Command::Meta(m) => return meta_cmd::run(ctx, m).await,
        Command::DemoServer(_) => unreachable!("handled before the config is read"),
        Command::Keys(_) | Command::Profiles => unreachable!("handled before logging in"),
        Command::Completions(_) | Command::Man(_) => unreachable!("handled before the config is read"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `k2s demo-server`: print the API URL first, then serve until interrupted.
async fn demo_server(opts: DemoOptions) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let server = DemoServer::start(opts).await?;
    // Whoever reads the URL may close the pipe afterwards: printing must not fail then.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", server.api_url());
    let _ = writeln!(
        out,
        "accounts: premium {} / {}; free {} / {}; reCaptcha {} / {}; partner token {}",
        accounts::PREMIUM_USER,
        accounts::PREMIUM_PASSWORD,
        accounts::FREE_USER,
        accounts::FREE_PASSWORD,
        accounts::RECAPTCHA_USER,
        accounts::RECAPTCHA_PASSWORD,
        accounts::PARTNER_TOKEN
    );
    let _ = out.flush();
    drop(out);
    wait_for_shutdown_signal().await;
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn wait_for_shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).ok();
        let mut hup = signal(SignalKind::hangup()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async { match term.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending().await } } => {}
            _ = async { match hup.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending().await } } => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Commands die quietly on a closed pipe (`k2s ls | head`) like other Unix tools.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: resetting a signal disposition to its default is async-signal-safe and affects
    // nothing else in this process, which is not the TUI.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
