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
    // Keys are read on their own thread: on a terminal that has gone away crossterm's read can
    // loop without returning, and the stop flag must still be seen within half a second.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if tx.send(ev).is_err() {
                break;
            }
        }
    });
    let result = loop {
        // SIGTERM or SIGHUP (a closed terminal, a shutdown): keep the typing, then leave.
        if app.quit || stop.load(std::sync::atomic::Ordering::Relaxed) {
            break Ok(());
        }
        if let Err(e) = terminal.draw(|f| f.render_widget(&app, f.area())) {
            break Err(e);
        }
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(Event::Key(key)) => app.on_key(key),
            Ok(_) | Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            // The terminal can no longer be read: nothing more will be typed.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break Ok(()),
        }
        app.tick(Instant::now());
    };
    // Whatever ended the loop, what was typed is kept before the terminal is given back.
    app.stop();
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
