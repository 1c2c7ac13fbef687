//! SQL text with its bound parameters, written with `?` placeholders.

use crate::value::Value;

#[derive(Debug, Default, Clone)]
pub struct Sql {
    pub text: String,
    pub params: Vec<Value>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    pub fn bind(&mut self, v: Value) {
        self.text.push('?');
        self.params.push(v);
    }
}
