fn main() {
    println!("safeguarding-forms");
}
