//! Which requests the preview answers: only those addressed to it by a name that a web
//! page elsewhere cannot take over. A page on `attacker.example` can make its own name
//! resolve to 127.0.0.1 (DNS rebinding) and then read the preview as same-origin; its
//! requests still carry `Host: attacker.example:PORT`, so that Host is refused, and so
//! is a WebSocket whose `Origin` is not a page of this server.
//!
//! The rules, for `Host` (or a request target's authority) and for `Origin` (which must
//! be `http://` and such an authority, nothing more):
//! - the port must be the one being served (no port means 80);
//! - the host must be `localhost` (any case, one trailing dot allowed), a loopback
//!   address (`127.0.0.1`, `[::1]`…), the `--bind` address, or, when `--bind` is
//!   `0.0.0.0` or `::` (every address of the machine), any IP address. An IP address
//!   names itself: no one can rebind it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The addresses and port this server answers for.
#[derive(Debug, Clone, Copy)]
pub struct Allowed {
    bind: IpAddr,
    port: u16,
}

impl Allowed {
    pub fn new(bind: IpAddr, port: u16) -> Allowed {
        Allowed { bind, port }
    }

    /// Whether `authority` (`host`, `host:port`, `[v6]:port`) names this server.
    pub fn authority(&self, authority: &str) -> bool {
        // `port` keeps its colon: `[::1]:4000` and `localhost:4000` give `:4000`.
        let (host, port) = match authority.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((v6, port)) => (Host::V6(v6), port),
                None => return false,
            },
            None => {
                let at = authority.find(':').unwrap_or(authority.len());
                (Host::Other(&authority[..at]), &authority[at..])
            }
        };
        let port = if port.is_empty() {
            Some(80)
        } else {
            port.strip_prefix(':')
                .filter(|d| (1..=5).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|d| d.parse::<u16>().ok())
        };
        port == Some(self.port) && self.host(host)
    }

    /// Whether `origin` (the `Origin` header of a browser's request) is a page of this
    /// server.
    pub fn origin(&self, origin: &str) -> bool {
        let scheme = "http://";
        origin
            .get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
            && self.authority(&origin[scheme.len()..])
    }

    fn host(&self, host: Host<'_>) -> bool {
        let ip = match host {
            Host::V6(text) => match text.parse::<Ipv6Addr>() {
                Ok(ip) => IpAddr::V6(ip),
                Err(_) => return false,
            },
            Host::Other(text) => match text.parse::<Ipv4Addr>() {
                Ok(ip) => IpAddr::V4(ip),
                Err(_) => {
                    let name = text.strip_suffix('.').unwrap_or(text);
                    return name.eq_ignore_ascii_case("localhost");
                }
            },
        };
        ip.is_loopback() || ip == self.bind || self.bind.is_unspecified()
    }
}

/// A host as written: inside brackets (IPv6) or not (IPv4 or a name).
#[derive(Clone, Copy)]
enum Host<'a> {
    V6(&'a str),
    Other(&'a str),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(port: u16) -> Allowed {
        Allowed::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
    }

    #[test]
    fn names_of_this_server_are_allowed() {
        let a = local(4000);
        for ok in [
            "localhost:4000",
            "LocalHost:4000",
            "localhost.:4000",
            "127.0.0.1:4000",
            "127.0.0.2:4000",
            "[::1]:4000",
            "[0:0:0:0:0:0:0:1]:4000",
        ] {
            assert!(a.authority(ok), "{ok}");
        }
        assert!(local(80).authority("localhost"), "no port is port 80");
        assert!(local(80).authority("127.0.0.1"));
    }

    #[test]
    fn other_names_and_ports_are_refused() {
        let a = local(4000);
        for bad in [
            "attacker.example:4000",
            "localhost.attacker.example:4000",
            "attacker.example",
            "localhost",
            "localhost:",
            "localhost:4001",
            "localhost:40000",
            "localhost:+4000",
            "localhost:4000:4000",
            "localhost..:4000",
            "127.0.0.1.:4000",
            "10.0.0.5:4000",
            "[::1]",
            "[::1:4000",
            "::1:4000",
            "[fe80::1]:4000",
            "",
            ":4000",
        ] {
            assert!(!a.authority(bad), "{bad}");
        }
    }

    #[test]
    fn the_bind_address_and_every_address_when_bound_to_all() {
        let lan = Allowed::new("192.168.1.5".parse().unwrap(), 4000);
        assert!(lan.authority("192.168.1.5:4000"));
        assert!(!lan.authority("192.168.1.6:4000"));
        assert!(!lan.authority("specs.attacker.example:4000"));
        let all = Allowed::new("0.0.0.0".parse().unwrap(), 4000);
        assert!(all.authority("192.168.1.6:4000"));
        assert!(all.authority("[fe80::1]:4000"));
        assert!(!all.authority("attacker.example:4000"), "names never");
        let v6 = Allowed::new("fe80::1".parse().unwrap(), 4000);
        assert!(v6.authority("[FE80::1]:4000"));
    }

    #[test]
    fn origins_are_http_pages_of_this_server() {
        let a = local(4000);
        assert!(a.origin("http://127.0.0.1:4000"));
        assert!(a.origin("http://localhost:4000"));
        assert!(a.origin("HTTP://[::1]:4000"));
        for bad in [
            "http://attacker.example:4000",
            "https://127.0.0.1:4000",
            "http://127.0.0.1:4000/",
            "http://127.0.0.1:4001",
            "null",
            "127.0.0.1:4000",
            "",
        ] {
            assert!(!a.origin(bad), "{bad}");
        }
    }
}
