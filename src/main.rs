fn main() {
    possum_terminal::sync::device_log::install_panic_hook();
    leptos::mount::mount_to_body(possum_terminal::App);
}
