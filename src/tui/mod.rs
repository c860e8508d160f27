//! The terminal: the panel screen a chair drives at a shared screen. Holds widget state only;
//! the panel's rules live in `domain`, the walk's transitions in `walk`, records in `store`.

pub mod app;
pub use screens::scrutiny;
pub mod case_view;
pub mod files;
pub mod keys;
pub mod overlays;
pub mod runner;
pub mod screens;
pub mod strings;
pub mod theme;
pub mod view;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};

pub use app::App;

/// Replaces the default panic message: a panic payload can quote data (a name in a value), so
/// only the location is shown. Installed before `ratatui::init`, whose hook restores the
/// terminal first and then calls this one.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map_or("an unknown place".to_string(), |l| format!("{}:{}", l.file(), l.line()));
        eprintln!("jdp stopped because of a fault in jdp itself (at {at}).");
        eprintln!("Your work up to the last saved draft is kept; open jdp again to resume.");
    }));
}

/// Runs the panel screen until the chair quits.
pub fn run(mut app: App) -> std::io::Result<()> {
    install_panic_hook();
    let stop = stop_signals();
    let mut terminal = ratatui::init();
    let result = (|| -> std::io::Result<()> {
        while !app.quit {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                // SIGTERM or SIGHUP (a closed terminal, a shutdown): keep the typing, then leave.
                app.stop();
                break;
            }
            terminal.draw(|f| f.render_widget(&app, f.area()))?;
            if event::poll(Duration::from_millis(500))? {
                match event::read()? {
                    Event::Key(key) => app.on_key(key),
                    Event::Resize(..) => {}
                    _ => {}
                }
            }
            app.tick(Instant::now());
        }
        Ok(())
    })();
    ratatui::restore();
    result
}

/// A flag raised by SIGTERM or SIGHUP, read by the event loop within half a second.
fn stop_signals() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    #[cfg(unix)]
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        // Registration fails only for forbidden signals; these two are allowed.
        let _ = signal_hook::flag::register(sig, std::sync::Arc::clone(&flag));
    }
    flag
}
