//! Choice sets: the fixed value/label(/colour) lists a choice field accepts.

#[derive(Debug)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub color: Option<&'static str>,
}

#[derive(Debug)]
pub struct ChoiceSet {
    pub name: &'static str,
    pub choices: &'static [Choice],
    /// Values are integers on the wire and in storage (IP families, rack widths).
    pub numeric: bool,
}

impl ChoiceSet {
    pub fn get(&self, value: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.value == value)
    }

    pub fn label(&self, value: &str) -> Option<&'static str> {
        self.get(value).map(|c| c.label)
    }
}

/// Declares a `static` choice set: `choices!(SITE_STATUS, "active" => "Active", …)`,
/// optionally with a colour per choice: `"active" => "Active" / "green"`. Integer values:
/// `choices!(numeric FAMILY, 4 => "IPv4", 6 => "IPv6")`.
#[macro_export]
macro_rules! choices {
    (numeric $ident:ident, $($value:literal => $label:literal $(/ $color:literal)?),+ $(,)?) => {
        pub static $ident: $crate::ChoiceSet = $crate::ChoiceSet {
            name: stringify!($ident),
            choices: &[$($crate::Choice {
                value: stringify!($value),
                label: $label,
                color: $crate::__opt_color!($($color)?),
            }),+],
            numeric: true,
        };
    };
    ($ident:ident, $($value:literal => $label:literal $(/ $color:literal)?),+ $(,)?) => {
        pub static $ident: $crate::ChoiceSet = $crate::ChoiceSet {
            name: stringify!($ident),
            choices: &[$($crate::Choice {
                value: $value,
                label: $label,
                color: $crate::__opt_color!($($color)?),
            }),+],
            numeric: false,
        };
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __opt_color {
    () => {
        None
    };
    ($c:literal) => {
        Some($c)
    };
}
