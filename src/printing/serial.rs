//! A receipt printer on Web Serial (`navigator.serial`): a serial cable, a
//! USB-serial adapter or a Bluetooth serial printer, at the printer row's
//! baud rate. Chromium-based browsers only, in a secure context.
//!
//! The bindings are this file's own `extern` block rather than web-sys's:
//! web-sys has Web Serial only behind `--cfg=web_sys_unstable_apis`, a
//! flag for the whole build (every crate rebuilt, every engineer's target
//! directory) for one file's needs, on an API whose bindings that flag
//! lets change between web-sys versions. These bindings are structural (a
//! method is looked up on the object), so a test stubs `navigator.serial`
//! with a plain object.

use super::deadline::{clean_up, device_call, settle, Deadline, CLOSE_MS};
use super::error::PrintError;
use super::link::{self, granted_device, navigator_api, Bytes, Link};
use super::remembered::{self, DeviceId};
use js_sys::{Object, Reflect, Uint8Array};
use possum_contract::printers::Printer;
use possum_print::status::PrinterProblem;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `navigator.serial`.
    pub type Serial;
    #[wasm_bindgen(method, catch, js_name = getPorts)]
    fn get_ports(this: &Serial) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = requestPort)]
    fn request_port(this: &Serial, options: &JsValue) -> Result<js_sys::Promise, JsValue>;

    pub type SerialPort;
    #[wasm_bindgen(method, catch, js_name = getInfo)]
    fn get_info(this: &SerialPort) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn open(this: &SerialPort, options: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn close(this: &SerialPort) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &SerialPort) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &SerialPort) -> JsValue;

    /// A `WritableStream` (`port.writable`).
    type Writable;
    #[wasm_bindgen(method, catch, js_name = getWriter)]
    fn get_writer(this: &Writable) -> Result<Writer, JsValue>;
    type Writer;
    #[wasm_bindgen(method, catch)]
    fn write(this: &Writer, chunk: &Uint8Array) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn abort(this: &Writer) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, js_name = releaseLock)]
    fn release_lock(this: &Writer);

    /// A `ReadableStream` (`port.readable`).
    type Readable;
    #[wasm_bindgen(method, catch, js_name = getReader)]
    fn get_reader(this: &Readable) -> Result<Reader, JsValue>;
    type Reader;
    #[wasm_bindgen(method, catch)]
    fn read(this: &Reader) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn cancel(this: &Reader) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, js_name = releaseLock)]
    fn release_lock(this: &Reader);
}

/// `navigator.serial`, where the browser has it.
fn serial() -> Result<Serial, PrintError> {
    navigator_api("serial", "Web Serial").map(JsCast::unchecked_into)
}

/// Whether this browser can reach a serial printer at all.
pub fn supported() -> bool {
    serial().is_ok()
}

fn number(object: &JsValue, field: &str) -> Option<u16> {
    Reflect::get(object, &field.into()).ok()?.as_f64().and_then(|n| u16::try_from(n as i64).ok())
}

fn id_of(port: &SerialPort) -> DeviceId {
    let info = port.get_info().unwrap_or(JsValue::UNDEFINED);
    DeviceId {
        vendor_id: number(&info, "usbVendorId"),
        product_id: number(&info, "usbProductId"),
        serial_number: None,
    }
}

/// Staff choose the printer's port in the browser's picker (call from a
/// click), and it is remembered for `printer` on this tablet.
pub async fn pair(printer: &Printer) -> Result<DeviceId, PrintError> {
    let port: SerialPort = device_call(serial()?.request_port(&Object::new().into())).await?.unchecked_into();
    let id = id_of(&port);
    remembered::remember(printer, &id).map_err(PrintError::Busy)?;
    Ok(id)
}

/// The granted port that is `printer`'s.
async fn port_of(printer: &Printer) -> Result<SerialPort, PrintError> {
    granted_device(device_call(serial()?.get_ports()).await?, printer, id_of)
}

/// An open port with its stream locks; [`OpenPort::close`] gives them back.
struct OpenPort {
    port: SerialPort,
    writer: Writer,
    reader: Option<Reader>,
}

impl Link for OpenPort {
    async fn write(&self, bytes: &[u8]) -> Result<(), PrintError> {
        device_call(self.writer.write(&Uint8Array::from(bytes))).await.map(drop)
    }

    async fn read(&self) -> Result<Vec<u8>, PrintError> {
        let Some(reader) = &self.reader else {
            // A port that cannot be read waits for ever; the caller's deadline decides.
            std::future::pending::<()>().await;
            unreachable!()
        };
        let result = device_call(reader.read()).await?;
        if Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(false) {
            return Err(PrintError::Gone("the port stopped reading".into()));
        }
        let value = Reflect::get(&result, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        Ok(value.dyn_into::<Uint8Array>().map(|a| a.to_vec()).unwrap_or_default())
    }
}

impl OpenPort {
    async fn open(port: SerialPort, baud_rate: u32) -> Result<OpenPort, PrintError> {
        let options = Object::new();
        let _ = Reflect::set(&options, &"baudRate".into(), &baud_rate.into());
        device_call(port.open(&options.into())).await?;
        let writable = port.writable();
        if writable.is_null() || writable.is_undefined() {
            return Err(PrintError::Gone("the port cannot be written".into()));
        }
        let writer = writable.unchecked_into::<Writable>().get_writer().map_err(PrintError::from_device)?;
        let readable = port.readable();
        let reader = if readable.is_null() || readable.is_undefined() {
            None
        } else {
            readable.unchecked_into::<Readable>().get_reader().ok()
        };
        Ok(OpenPort { port, writer, reader })
    }

    /// Lets go of the streams and closes the port, whatever state it is in:
    /// a pending read is cancelled and, after a failed job, what is still
    /// queued for the printer is dropped (`abort`), or `close()` would wait
    /// for a printer that takes nothing.
    async fn close(self, failed: bool) {
        if let Some(reader) = &self.reader {
            settle(reader.cancel()).await;
            reader.release_lock();
        }
        // An abort waits for a write in flight, so it is not awaited: the lock
        // is released at once and the port's close ends the rest.
        let abort = failed.then(|| self.writer.abort());
        self.writer.release_lock();
        drop(abort);
        settle(self.port.close()).await;
    }
}

/// Sends ESC/POS `bytes` to `printer`'s port within `deadline`: opens it,
/// asks the printer's state (for a job), writes, closes. The port is closed whether
/// the job went or not, so the next print can open it.
pub async fn send(
    printer: &Printer,
    bytes: Bytes<'_>,
    deadline: Deadline,
) -> Result<Vec<PrinterProblem>, PrintError> {
    let port = deadline.run(port_of(printer)).await?;
    let open = deadline.run(OpenPort::open(port, printer.serial_baud_rate())).await?;
    let sent = deadline.run(link::send(&open, bytes)).await;
    clean_up(CLOSE_MS, open.close(sent.is_err())).await;
    sent
}
