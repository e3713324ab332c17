//! Rebuild when a template changes: templates are embedded in the binary.

fn main() {
    println!("cargo:rerun-if-changed=templates");
}
