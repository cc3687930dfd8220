//! `ProxyProcess`: the team's proxy command, started by the run on loopback, told where the mock
//! listens, waited for until it accepts connections, and stopped when the run ends.
//!
//! Why the wall clock here: a process starts in real time. Only whether it started reaches a
//! run (an error, before any step); nothing of its timing reaches a report.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

/// How long a proxy may take to listen after it was started.
pub const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// The last bytes of the proxy's standard error kept, for the error when it fails to start.
const STDERR_KEPT: usize = 4096;

/// A running proxy command; killed when dropped.
pub struct ProxyProcess {
    child: Child,
    stderr: Arc<Mutex<Vec<u8>>>,
}

/// The addresses a proxy command is told.
pub struct Addresses {
    pub mock: SocketAddr,
    pub listen: SocketAddr,
}

/// `argument` with `{mock}`, `{mock_url}` and `{port}` replaced.
pub fn fill(argument: &str, a: &Addresses) -> String {
    argument
        .replace("{mock_url}", &format!("http://{}", a.mock))
        .replace("{mock}", &a.mock.to_string())
        .replace("{port}", &a.listen.port().to_string())
}

impl ProxyProcess {
    /// Starts `command` in `dir` and waits until it accepts connections on `a.listen`.
    ///
    /// # Errors
    ///
    /// The command cannot be started, exits before it listens, or does not listen within
    /// `READY_TIMEOUT`; each with what it printed on standard error.
    pub async fn start(command: &[String], dir: &Path, a: &Addresses) -> Result<ProxyProcess, String> {
        let (program, args) = command.split_first().ok_or_else(|| "the proxy's command is empty".to_string())?;
        let mut child = Command::new(fill(program, a))
            .args(args.iter().map(|arg| fill(arg, a)))
            .current_dir(dir)
            .env("FIREDRILL_MOCK_ADDR", a.mock.to_string())
            .env("FIREDRILL_MOCK_URL", format!("http://{}", a.mock))
            .env("FIREDRILL_PROXY_PORT", a.listen.port().to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start the proxy `{program}`: {e}"))?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        if let Some(mut pipe) = child.stderr.take() {
            let kept = stderr.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                while let Ok(n) = pipe.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
                    kept.extend_from_slice(&buf[..n]);
                    let excess = kept.len().saturating_sub(STDERR_KEPT);
                    kept.drain(..excess);
                }
            });
        }
        let mut process = ProxyProcess { child, stderr };
        let started = std::time::Instant::now();
        loop {
            if let Ok(Some(status)) = process.child.try_wait() {
                // Let the reader take what the process printed before it died.
                tokio::time::sleep(Duration::from_millis(50)).await;
                return Err(format!("the proxy `{program}` exited ({status}) before it listened on {}{}", a.listen, process.printed()));
            }
            if tokio::net::TcpStream::connect(a.listen).await.is_ok() {
                return Ok(process);
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(format!(
                    "the proxy `{program}` did not listen on {} within {}s{}",
                    a.listen,
                    READY_TIMEOUT.as_secs(),
                    process.printed()
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// What the process printed on standard error, as `: …`, or nothing.
    fn printed(&self) -> String {
        let kept = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        let text = String::from_utf8_lossy(&kept);
        let text = text.trim();
        if text.is_empty() { String::new() } else { format!("; it printed: {text}") }
    }
}

/// Waits until something accepts connections on `addr` (a proxy the team started itself).
///
/// # Errors
///
/// Nothing listens there within `READY_TIMEOUT`.
pub async fn wait_for(addr: SocketAddr) -> Result<(), String> {
    let started = std::time::Instant::now();
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        if started.elapsed() > READY_TIMEOUT {
            return Err(format!("nothing listens on {addr}: start your proxy before the run, or give it a `command`"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// A port on 127.0.0.1 that was free a moment ago, for a proxy to listen on.
///
/// # Errors
///
/// No port could be bound.
pub fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("cannot find a free port: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_arguments_name_the_mock_and_the_proxys_port() {
        let a = Addresses { mock: "127.0.0.1:4001".parse().unwrap(), listen: "127.0.0.1:8081".parse().unwrap() };
        for (arg, expected) in [
            ("--upstream={mock}", "--upstream=127.0.0.1:4001"),
            ("{mock_url}/graphql/v2", "http://127.0.0.1:4001/graphql/v2"),
            ("--listen=127.0.0.1:{port}", "--listen=127.0.0.1:8081"),
            ("plain", "plain"),
        ] {
            assert_eq!(fill(arg, &a), expected);
        }
    }
}
