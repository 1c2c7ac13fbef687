//! A new device gets a copy of every component template of its type; a new module gets
//! its module type's, named after the bay it sits in (`{module}`).

use std::collections::HashMap;

use cairn_schema::{FieldKind, ObjectType};
use cairn_store::{read, Change, Filter, Record, Result, StoreError, Value, Writer};

/// Template model → component model, in the order NetBox instantiates them (rear ports
/// before the front ports that map onto them, power ports before outlets).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("dcim.consoleporttemplate", "dcim.consoleport"),
    ("dcim.consoleserverporttemplate", "dcim.consoleserverport"),
    ("dcim.powerporttemplate", "dcim.powerport"),
    ("dcim.poweroutlettemplate", "dcim.poweroutlet"),
    ("dcim.interfacetemplate", "dcim.interface"),
    ("dcim.rearporttemplate", "dcim.rearport"),
    ("dcim.frontporttemplate", "dcim.frontport"),
    ("dcim.modulebaytemplate", "dcim.modulebay"),
    ("dcim.devicebaytemplate", "dcim.devicebay"),
    ("dcim.inventoryitemtemplate", "dcim.inventoryitem"),
];

const MODULE_TOKEN: &str = "{module}";

/// Where new components go: the device, and the module with its bay positions from the
/// outermost bay inwards (each `{module}` takes the next one).
pub struct Target {
    pub device: i64,
    pub module: Option<i64>,
    pub positions: Vec<String>,
}

fn resolve(text: &str, positions: &[String]) -> String {
    let mut out = text.to_string();
    for p in positions {
        if !out.contains(MODULE_TOKEN) {
            break;
        }
        out = out.replacen(MODULE_TOKEN, p, 1);
    }
    out
}

fn field(t: &ObjectType, name: &str) -> Result<usize> {
    t.field_index(name)
        .ok_or_else(|| StoreError::Db(format!("{} has no field {name}", t.label())))
}

/// Creates the components of `owner_field` ("device_type" or "module_type") = `owner`.
pub fn instantiate(
    w: &mut Writer<'_>,
    owner_field: &str,
    owner: i64,
    target: &Target,
) -> Result<()> {
    let reg = w.s.reg.clone();
    // Template (label, id) → created component id, for references between templates.
    let mut made: HashMap<(String, i64), i64> = HashMap::new();
    // References to templates of the same model made later (an interface's bridge):
    // (component model, component, field, template referred to).
    let mut later: Vec<(&str, i64, usize, i64)> = Vec::new();
    for (tl, cl) in TEMPLATES {
        let (Some(tt), Some(ct)) = (reg.get(tl), reg.get(cl)) else {
            continue;
        };
        let Some(col) = tt.field(owner_field).and_then(|f| f.column()) else {
            continue;
        };
        let mut q = read::Query::all();
        q.filter = Filter::eq(col, owner);
        // Parents before children for tree templates (inventory items).
        if tt.tree {
            q.order = vec![("_depth".into(), false), ("id".into(), false)];
        }
        let templates = read::select(w.conn, w.s, tt, &q)?;
        for tpl in &templates {
            let change = component_change(w, tt, ct, tpl, target, &made)?;
            let rec = w.create_trusted(ct, change)?;
            made.insert((tl.to_string(), tpl.id), rec.id);
            for (i, f) in tt.fields.iter().enumerate() {
                let own_kind = f.fk_target() == Some(tl);
                if let (true, Some(to), Some(ci)) =
                    (own_kind, tpl.values[i].as_i64(), ct.field_index(f.name))
                {
                    if rec.values[ci].is_null() {
                        later.push((cl, rec.id, ci, to));
                    }
                }
            }
        }
    }
    // NetBox sets these once every component exists (`update_interface_bridges`).
    for (cl, component, ci, to) in later {
        let (Some(ct), Some((tl, _))) = (reg.get(cl), TEMPLATES.iter().find(|(_, c)| *c == cl))
        else {
            continue;
        };
        if let Some(made_id) = made.get(&(tl.to_string(), to)) {
            let mut change = Change::default();
            change.set(ci, Value::Int(*made_id));
            w.update(ct, component, change, false)?;
        }
    }
    Ok(())
}

/// The component's values: every template field the component also has, with
/// references to other templates turned into references to their components.
fn component_change(
    w: &Writer<'_>,
    tt: &ObjectType,
    ct: &ObjectType,
    tpl: &Record,
    target: &Target,
    made: &HashMap<(String, i64), i64>,
) -> Result<Change> {
    let mut change = Change::default();
    change.set(field(ct, "device")?, Value::Int(target.device));
    if let (Some(m), Some(i)) = (target.module, ct.field_index("module")) {
        change.set(i, Value::Int(m));
    }
    for (i, f) in tt.fields.iter().enumerate() {
        if !f.stored || f.read_only || matches!(f.name, "device_type" | "module_type") {
            continue;
        }
        let Some(ci) = ct.field_index(f.name) else {
            continue;
        };
        let v = &tpl.values[i];
        let value = match (&f.kind, v) {
            (_, Value::Text(s)) if matches!(f.name, "name" | "label" | "position") => {
                Value::Text(resolve(s, &target.positions))
            }
            (FieldKind::ForeignKey { target: to, .. }, Value::Int(id))
                if TEMPLATES.iter().any(|(tl, _)| tl == to) =>
            {
                match made.get(&(to.to_string(), *id)) {
                    Some(c) => Value::Int(*c),
                    None => Value::Null,
                }
            }
            (FieldKind::GenericFk { .. }, Value::Ref(ctype, id)) => {
                match generic_component(w, *ctype, *id, made) {
                    Some(r) => r,
                    None => Value::Null,
                }
            }
            _ => v.clone(),
        };
        change.set(ci, value);
    }
    Ok(change)
}

/// A generic reference to a template becomes one to the component made from it.
fn generic_component(
    w: &Writer<'_>,
    ctype: i64,
    id: i64,
    made: &HashMap<(String, i64), i64>,
) -> Option<Value> {
    let tl = w.s.type_of_ct(ctype)?.label();
    let (_, cl) = TEMPLATES.iter().find(|(t, _)| *t == tl)?;
    let component = made.get(&(tl.clone(), id))?;
    let cct = w.s.ct_of_label(cl)?;
    Some(Value::Ref(cct, *component))
}

/// Bay positions from the outermost module bay to the one holding `bay`.
pub fn bay_positions(w: &mut Writer<'_>, bay: i64) -> Result<Vec<String>> {
    let reg = w.s.reg.clone();
    let (Some(bays), Some(modules)) = (reg.get("dcim.modulebay"), reg.get("dcim.module")) else {
        return Ok(Vec::new());
    };
    let (pos_i, mod_i) = (field(bays, "position")?, field(bays, "module")?);
    let bay_of_module = field(modules, "module_bay")?;
    let mut positions = Vec::new();
    let mut next = Some(bay);
    // Bounded: a bay chain longer than this would be a cycle.
    for _ in 0..32 {
        let Some(b) = next else { break };
        let Some(rec) = read::get_columns(w.conn, w.s, bays, b)? else {
            break;
        };
        positions.push(match &rec.values[pos_i] {
            Value::Text(p) => p.clone(),
            _ => String::new(),
        });
        next = match rec.values[mod_i].as_i64() {
            Some(parent_module) => read::get_columns(w.conn, w.s, modules, parent_module)?
                .and_then(|m| m.values[bay_of_module].as_i64()),
            None => None,
        };
    }
    positions.reverse();
    Ok(positions)
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn module_tokens_take_positions_in_order() {
        let p = vec!["1".to_string(), "3".to_string()];
        assert_eq!(resolve("Gi{module}/{module}/1", &p), "Gi1/3/1");
        assert_eq!(resolve("eth{module}", &p[1..]), "eth3");
        assert_eq!(resolve("eth0", &p), "eth0");
        assert_eq!(resolve("x{module}", &[]), "x{module}");
    }
}
