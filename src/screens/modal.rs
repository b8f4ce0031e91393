//! Every dialog of the terminal, on the browser's own modal `<dialog>`: it
//! takes the focus, keeps Tab inside, makes the page behind it inert (no tap,
//! scan-driven click or screen reader reaches what is under it), sits above
//! everything, and scrolls inside the screen however long it is.

use leptos::prelude::*;

#[component]
pub fn Modal(
    /// The id of the heading that names the dialog.
    labelled_by: &'static str,
    /// Escape (or a tablet's back gesture): what the dialog's own "Cancel"
    /// does. `None` for a dialog that must be answered.
    #[prop(optional)]
    on_cancel: Option<Callback<()>>,
    /// Asks before something that cannot be taken back (`alertdialog`).
    #[prop(optional)]
    alert: bool,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    dialog.on_load(|d| {
        // Fails only when the element left the page again before this ran.
        let _ = d.show_modal();
    });
    view! {
        <dialog
            node_ref=dialog
            class="modal"
            role=alert.then_some("alertdialog")
            aria-labelledby=labelled_by
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                if let Some(cancel) = on_cancel {
                    cancel.run(());
                }
            }
        >
            {children()}
        </dialog>
    }
}
