//! IP addresses and prefixes: parsing, canonical text, and the sortable keys stored
//! beside them (family, 16-byte big-endian start and end, prefix length), so containment
//! becomes indexable range comparisons on both backends.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::conn::Conn;
use cairn_schema::ObjectType;

use crate::error::{Result, StoreError};
use crate::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    pub addr: IpAddr,
    pub len: u8,
}

impl IpNet {
    /// `a.b.c.d/len` or `x::y/len`; without a length, a host (/32 or /128).
    pub fn parse(s: &str) -> Option<IpNet> {
        let s = s.trim();
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().ok()?;
        let max = Self::max_len_of(&addr);
        let len = match len {
            Some(l) => l.parse::<u8>().ok().filter(|l| *l <= max)?,
            None => max,
        };
        Some(IpNet { addr, len })
    }

    fn max_len_of(addr: &IpAddr) -> u8 {
        match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        }
    }

    pub fn max_len(&self) -> u8 {
        Self::max_len_of(&self.addr)
    }

    pub fn family(&self) -> i64 {
        match self.addr {
            IpAddr::V4(_) => 4,
            IpAddr::V6(_) => 6,
        }
    }

    /// The address as a number.
    pub fn bits(&self) -> u128 {
        match self.addr {
            IpAddr::V4(a) => u32::from(a) as u128,
            IpAddr::V6(a) => u128::from(a),
        }
    }

    fn host_mask(&self) -> u128 {
        let host_bits = (self.max_len() - self.len) as u32;
        if host_bits == 0 {
            0
        } else if host_bits >= 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        }
    }

    /// First address of the network.
    pub fn network(&self) -> u128 {
        self.bits() & !self.host_mask()
    }

    /// Last address of the network.
    pub fn broadcast(&self) -> u128 {
        self.network() | self.host_mask()
    }

    /// Whether bits below the prefix length are set (`10.0.0.1/24`).
    pub fn has_host_bits(&self) -> bool {
        self.bits() & self.host_mask() != 0
    }

    /// 16 big-endian bytes of an address number.
    pub fn key(n: u128) -> Vec<u8> {
        n.to_be_bytes().to_vec()
    }

    /// The address number a stored key (see [`IpNet::key`]) holds.
    pub fn from_key(v: &Value) -> Option<u128> {
        match v {
            Value::Bytes(b) => Some(u128::from_be_bytes(b.as_slice().try_into().ok()?)),
            _ => None,
        }
    }

    /// The address as written (`10.0.0.1/24`, IPv6 compressed and lower-case).
    pub fn canonical(&self) -> String {
        let addr = match self.addr {
            IpAddr::V4(a) => Ipv4Addr::from(u32::from(a)).to_string(),
            IpAddr::V6(a) => Ipv6Addr::from(u128::from(a)).to_string(),
        };
        format!("{addr}/{}", self.len)
    }
}

/// Where nested IP ranges are counted: a table, its IP field, the column that scopes
/// the nesting (a VRF; NULL is a scope of its own), and the depth and children columns.
/// A model whose IP field nests (prefixes): the fields holding the network, the space it
/// lives in (a VRF), its depth and its number of children.
pub struct Nesting<'a> {
    pub t: &'a ObjectType,
    pub field: &'a str,
    pub scope: &'a str,
    pub depth: &'a str,
    pub children: &'a str,
}

/// Recomputes depth (distinct strict containers: containers of one length are the same
/// network) and children (strictly contained rows) of every row
/// in `scope` that contains or lies within `net`: what a change to `net` can affect.
pub fn renest(conn: &mut Conn, n: &Nesting<'_>, scope: &Value, net: &IpNet) -> Result<()> {
    let f = n.field;
    let column = |name: &str| {
        n.t.field(name)
            .and_then(|f| f.column())
            .ok_or_else(|| StoreError::Db(format!("{} has no field {name}", n.t.label())))
    };
    let (scope_col, depth, children) = (column(n.scope)?, column(n.depth)?, column(n.children)?);
    let same_scope = |a: &str, b: &str| {
        format!(
            "({a}.\"{s}\" = {b}.\"{s}\" OR ({a}.\"{s}\" IS NULL AND {b}.\"{s}\" IS NULL))",
            s = scope_col
        )
    };
    let sql = format!(
        "UPDATE {t} SET \"{d}\" = (SELECT COUNT(DISTINCT x.{f}_len) FROM {t} x WHERE {sx} AND x.{f}_family = {t}.{f}_family \
           AND x.{f}_start <= {t}.{f}_start AND x.{f}_end >= {t}.{f}_end AND x.{f}_len < {t}.{f}_len), \
         \"{c}\" = (SELECT COUNT(*) FROM {t} x WHERE {sx} AND x.{f}_family = {t}.{f}_family \
           AND x.{f}_start >= {t}.{f}_start AND x.{f}_end <= {t}.{f}_end AND x.{f}_len > {t}.{f}_len) \
         WHERE ({t}.\"{s}\" = ? OR ({t}.\"{s}\" IS NULL AND CAST(? AS BIGINT) IS NULL)) AND {t}.{f}_family = ? \
           AND (({t}.{f}_start <= ? AND {t}.{f}_end >= ?) OR ({t}.{f}_start >= ? AND {t}.{f}_end <= ?))",
        t = n.t.table,
        d = depth,
        c = children,
        s = scope_col,
        sx = same_scope("x", &n.t.table),
    );
    let (start, end) = (IpNet::key(net.network()), IpNet::key(net.broadcast()));
    conn.execute(
        &sql,
        &[
            scope.clone(),
            scope.clone(),
            Value::Int(net.family()),
            Value::Bytes(start.clone()),
            Value::Bytes(end.clone()),
            Value::Bytes(start),
            Value::Bytes(end),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::IpNet;
    use crate::testing::Rng;

    /// Against plain 32-bit arithmetic: network, broadcast, host bits, containment of
    /// every address, and text round trips, for random IPv4 networks.
    #[test]
    fn ipv4_arithmetic_matches_a_reference() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5000 {
            let addr = rng.draw() as u32;
            let len = (rng.draw() % 33) as u8;
            let mask: u32 = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            let text = format!("{}/{len}", std::net::Ipv4Addr::from(addr));
            let n = IpNet::parse(&text).expect("valid");
            assert_eq!(n.network(), (addr & mask) as u128, "{text}");
            assert_eq!(n.broadcast(), (addr | !mask) as u128, "{text}");
            assert_eq!(n.has_host_bits(), addr & !mask != 0, "{text}");
            assert_eq!(IpNet::parse(&n.canonical()), Some(n));
            let probe = rng.draw() as u32;
            let inside = probe & mask == addr & mask;
            let by_keys = IpNet::key(probe as u128) >= IpNet::key(n.network())
                && IpNet::key(probe as u128) <= IpNet::key(n.broadcast());
            assert_eq!(inside, by_keys, "{probe:#x} in {text}");
        }
    }

    /// The same for IPv6 against u128 arithmetic, including the zero-compressed text.
    #[test]
    fn ipv6_arithmetic_matches_a_reference() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..5000 {
            let mut addr = ((rng.draw() as u128) << 64) | rng.draw() as u128;
            // Runs of zero groups exercise the compressed forms.
            if rng.draw().is_multiple_of(2) {
                addr &= !(0xffff_ffff_u128 << ((rng.draw() % 4) * 32));
            }
            let len = (rng.draw() % 129) as u8;
            let mask: u128 = if len == 0 {
                0
            } else {
                u128::MAX << (128 - len)
            };
            let text = format!("{}/{len}", std::net::Ipv6Addr::from(addr));
            let n = IpNet::parse(&text).expect("valid");
            assert_eq!(n.family(), 6);
            assert_eq!(n.network(), addr & mask, "{text}");
            assert_eq!(n.broadcast(), addr | !mask, "{text}");
            assert_eq!(n.has_host_bits(), addr & !mask != 0, "{text}");
            assert_eq!(n.canonical(), text);
            let probe = ((rng.draw() as u128) << 64) | rng.draw() as u128;
            let inside = probe & mask == addr & mask;
            let by_keys = IpNet::key(probe) >= IpNet::key(n.network())
                && IpNet::key(probe) <= IpNet::key(n.broadcast());
            assert_eq!(inside, by_keys, "{probe:#x} in {text}");
        }
    }

    #[test]
    fn parses_and_keys() {
        let n = IpNet::parse("10.1.2.3/16").unwrap();
        assert_eq!(n.family(), 4);
        assert!(n.has_host_bits());
        assert_eq!(n.network(), 0x0a01_0000);
        assert_eq!(n.broadcast(), 0x0a01_ffff);
        assert_eq!(n.canonical(), "10.1.2.3/16");
        assert_eq!(IpNet::parse("192.0.2.7").unwrap().len, 32);
        let v6 = IpNet::parse("2001:DB8::1/64").unwrap();
        assert_eq!(v6.canonical(), "2001:db8::1/64");
        assert_eq!(v6.broadcast() - v6.network(), u64::MAX as u128);
        assert_eq!(IpNet::parse("::/0").unwrap().broadcast(), u128::MAX);
        assert!(IpNet::parse("10.0.0.0/33").is_none());
        assert!(IpNet::parse("999.1.1.1/24").is_none());
        assert!(IpNet::parse("bogus").is_none());
        assert!(IpNet::key(1) < IpNet::key(256), "keys sort numerically");
    }
}
