//! A private PostgreSQL for one test binary: `initdb` and `pg_ctl` from the system's binaries
//! into a temporary directory, listening only on a Unix socket in that directory, stopped and
//! removed when the test binary exits. Each test takes a database of its own (`fresh_db`).
//!
//! The binaries are looked for in `JDP_PG_BIN`, then `/usr/lib/postgresql/*/bin` (Debian), then
//! on the PATH. PostgreSQL refuses to run as root: when the tests run as root, the cluster runs
//! as the `postgres` account (made by Debian's package) through `runuser`.
//!
//! Without the binaries the PostgreSQL tests say so and pass, except under `CI=true`, where they
//! fail: CI must not go green without having run them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Cluster {
    pub dir: PathBuf,
    pub bin: PathBuf,
    /// The superuser the cluster was made with.
    pub superuser: String,
    /// The account that runs the server when the tests run as root.
    run_as: Option<String>,
    fsync: &'static str,
    /// More server options (`-c …`), for the TLS cluster.
    extra: String,
    /// The server's port (also in its socket's name).
    port: u16,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

fn find_bin() -> Option<PathBuf> {
    let has = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = std::env::var_os("JDP_PG_BIN").map(PathBuf::from) {
        return has(&d).then_some(d);
    }
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|d| has(d))
        .collect();
    debian.sort();
    if let Some(d) = debian.pop() {
        return Some(d);
    }
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).find(|d| has(d)))
}

#[cfg(unix)]
fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

/// Gives the cluster's directory to the account that will run the server.
#[cfg(unix)]
fn give_to(dir: &Path, user: &str) {
    let pw = std::ffi::CString::new(user).unwrap();
    let entry = unsafe { libc::getpwnam(pw.as_ptr()) };
    assert!(!entry.is_null(), "running as root, the PostgreSQL tests need a `{user}` account to run the server");
    let (uid, gid) = unsafe { ((*entry).pw_uid, (*entry).pw_gid) };
    let c = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::chown(c.as_ptr(), uid, gid) }, 0, "chown of the test cluster's directory");
}

impl Cluster {
    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }

    /// The cluster listens on a Unix socket: elsewhere, the PostgreSQL tests are skipped.
    #[cfg(not(unix))]
    fn make(_fsync: &'static str) -> Option<Cluster> {
        eprintln!("the PostgreSQL tests run on Unix only: skipped");
        None
    }

    /// This binary's shared cluster: tests need no durability, the benchmark does
    /// (JDP_PG_FSYNC=on). Stopped and removed at exit.
    fn start() -> Option<Cluster> {
        let fsync = if std::env::var("JDP_PG_FSYNC").as_deref() == Ok("on") { "on" } else { "off" };
        let cluster = Self::make(fsync)?;
        #[cfg(unix)]
        unsafe {
            libc::atexit(stop_at_exit)
        };
        Some(cluster)
    }

    /// A durable cluster of a test's own (fsync on), for a test that stops it as a crash would;
    /// `Private` stops and removes it when dropped.
    pub fn private() -> Option<Private> {
        Self::make("on").map(Private)
    }

    #[cfg(unix)]
    fn make(fsync: &'static str) -> Option<Cluster> {
        Self::make_with(fsync, |_| String::new())
    }

    /// A durable cluster of a test's own that also listens on localhost TCP, **TLS only** there
    /// (`hostssl` in pg_hba.conf), its certificate (for `localhost`) signed by a certificate
    /// authority of its own; returns it, its port and the authority's certificate (PEM).
    #[cfg(unix)]
    pub fn private_tls() -> Option<(Private, u16, PathBuf)> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Self::make_with("on", |c| {
            c.port = port;
            let d = &c.dir;
            let openssl = |args: &[&str]| {
                let ok = Command::new("openssl").args(args).current_dir(d).output().expect("openssl runs");
                assert!(ok.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&ok.stderr));
            };
            openssl(&[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=jdp test authority",
            ]);
            openssl(&[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ]);
            std::fs::write(d.join("san.ext"), "subjectAltName=DNS:localhost\n").unwrap();
            openssl(&[
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-extfile",
                "san.ext",
            ]);
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(d.join("server.key"), std::fs::Permissions::from_mode(0o600)).unwrap();
            if let Some(user) = &c.run_as {
                give_to(&d.join("server.key"), user);
                give_to(&d.join("server.pem"), user);
            }
            let hba = d.join("data/pg_hba.conf");
            let text = std::fs::read_to_string(&hba).unwrap();
            let ssl_only: String = text
                .lines()
                .map(|l| if l.starts_with("host ") { l.replacen("host ", "hostssl ", 1) } else { l.to_string() })
                .collect::<Vec<_>>()
                .join("\n");
            std::fs::write(&hba, ssl_only + "\n").unwrap();
            format!(
                " -c listen_addresses=localhost -c port={port} -c ssl=on -c ssl_cert_file='{}' -c ssl_key_file='{}'",
                d.join("server.pem").display(),
                d.join("server.key").display()
            )
        })?;
        let ca = cluster.dir.join("ca.pem");
        Some((Private(cluster), port, ca))
    }

    #[cfg(unix)]
    fn make_with(fsync: &'static str, prepare: impl FnOnce(&mut Cluster) -> String) -> Option<Cluster> {
        let Some(bin) = find_bin() else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!(
                    "CI=true but no PostgreSQL binaries (initdb, pg_ctl) were found: install the postgresql package"
                );
            }
            eprintln!("PostgreSQL binaries not found (set JDP_PG_BIN or install postgresql): PostgreSQL tests skipped");
            return None;
        };
        let run_as = is_root().then(|| "postgres".to_string());
        let dir = tempfile::Builder::new().prefix("jdp-pg-").tempdir().expect("temporary directory").keep();
        if let Some(user) = &run_as {
            give_to(&dir, user);
        }
        let superuser = "jdp_test_super".to_string();
        let mut cluster = Cluster {
            dir: dir.clone(),
            bin,
            superuser: superuser.clone(),
            run_as,
            fsync,
            extra: String::new(),
            port: 5432,
        };
        let data = dir.join("data");
        let ok = cluster
            .command("initdb")
            .args(["-A", "trust", "-U", &superuser, "-E", "UTF8", "--no-locale", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .expect("initdb runs");
        assert!(ok.status.success(), "initdb failed: {}", String::from_utf8_lossy(&ok.stderr));
        cluster.extra = prepare(&mut cluster);
        cluster.launch();
        Some(cluster)
    }

    /// Starts the server (again, after `crash`), waiting until it accepts connections.
    pub fn launch(&self) {
        let opts = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -c fsync={}{}",
            self.dir.display(),
            self.fsync,
            self.extra
        );
        let ok = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-o", &opts, "-w", "-l"])
            .arg(self.dir.join("log"))
            .arg("start")
            .output()
            .expect("pg_ctl runs");
        assert!(
            ok.status.success(),
            "pg_ctl start failed: {}{}",
            String::from_utf8_lossy(&ok.stderr),
            std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
        );
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`: no checkpoint, no
    /// goodbye to the clients); its files stay for `launch`.
    pub fn crash(&self) {
        let ok = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .output()
            .expect("pg_ctl runs");
        assert!(ok.status.success(), "pg_ctl stop failed: {}", String::from_utf8_lossy(&ok.stderr));
    }

    fn stop(&self) {
        let _ = self.command("pg_ctl").arg("-D").arg(self.dir.join("data")).args(["-m", "immediate", "stop"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// A connection string for `user` to `db`, over the cluster's socket.
    pub fn url(&self, user: &str, db: &str) -> String {
        let host: String = self
            .dir
            .display()
            .to_string()
            .bytes()
            .map(|b| if b == b'/' { "%2F".into() } else { (b as char).to_string() })
            .collect();
        format!("postgresql://{user}@{host}:{}/{db}", self.port)
    }

    /// Runs SQL as the superuser in `db`.
    pub fn admin(&self, db: &str, sql: &str) {
        let mut c = postgres::Client::connect(&self.url(&self.superuser, db), postgres::NoTls).expect("connect");
        c.batch_execute(sql).expect("admin SQL");
    }

    /// A new, empty database of its own for one test; its superuser connection string.
    pub fn fresh_db(&self) -> String {
        let name = format!("t{}", NEXT_DB.fetch_add(1, Ordering::SeqCst));
        self.admin("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&self.superuser, &name)
    }
}

/// A cluster of one test's own, stopped and removed when dropped.
pub struct Private(pub Cluster);

impl Drop for Private {
    fn drop(&mut self) {
        self.0.stop();
    }
}

impl std::ops::Deref for Private {
    type Target = Cluster;
    fn deref(&self) -> &Cluster {
        &self.0
    }
}

extern "C" fn stop_at_exit() {
    if let Some(Some(c)) = CLUSTER.get() {
        c.stop();
    }
}

/// This test binary's cluster, started on first use; None (the test then returns early) only
/// when the binaries are missing outside CI.
pub fn cluster() -> Option<&'static Cluster> {
    CLUSTER.get_or_init(Cluster::start).as_ref()
}
