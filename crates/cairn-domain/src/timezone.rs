//! The time zone timestamps are shown in (NetBox's `TIME_ZONE`).

use chrono::{DateTime, SecondsFormat, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(chrono_tz::Tz);

impl Zone {
    /// An IANA zone name ("UTC", "Europe/Amsterdam").
    pub fn named(name: &str) -> Option<Zone> {
        name.parse::<chrono_tz::Tz>().ok().map(Zone)
    }

    /// ISO 8601 with microseconds, as NetBox writes timestamps: `Z` for UTC, the
    /// offset otherwise.
    pub fn format(&self, t: &DateTime<Utc>) -> String {
        if self.0 == chrono_tz::UTC {
            return t.to_rfc3339_opts(SecondsFormat::Micros, true);
        }
        t.with_timezone(&self.0)
            .to_rfc3339_opts(SecondsFormat::Micros, false)
    }
}

impl Zone {
    /// "YYYY-MM-DD HH:MM:SS" on this zone's clock, as NetBox names the server time.
    pub fn wall_clock(&self, t: &DateTime<Utc>) -> String {
        t.with_timezone(&self.0)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    }
}

impl Default for Zone {
    fn default() -> Zone {
        Zone(chrono_tz::UTC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_ends_in_z_and_other_zones_carry_their_offset() {
        let t = DateTime::parse_from_rfc3339("2026-01-15T12:30:00.5Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("time");
        assert_eq!(Zone::default().format(&t), "2026-01-15T12:30:00.500000Z");
        let ams = Zone::named("Europe/Amsterdam").expect("zone");
        assert_eq!(ams.format(&t), "2026-01-15T13:30:00.500000+01:00");
        assert!(Zone::named("Mars/Olympus").is_none());
    }
}
