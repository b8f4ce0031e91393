//! A receipt printer on WebUSB (`navigator.usb`): the job goes to the bulk
//! OUT endpoint of the device's printer-class interface (class 7), status
//! answers come from its bulk IN endpoint. Chromium-based browsers only, in
//! a secure context, and only where no operating-system driver has claimed
//! the printer (Android tablets and ChromeOS usually; on Windows the
//! printer needs the WinUSB driver instead of the vendor's).
//!
//! Bindings of this file's own, for the reason `serial.rs` gives (web-sys
//! has WebUSB only behind `--cfg=web_sys_unstable_apis`); the device's
//! descriptors are plain objects, read with `Reflect`.

use super::deadline::{clean_up, device_call, settle, Deadline, CLOSE_MS};
use super::error::PrintError;
use super::link::{self, granted_device, navigator_api, Bytes, Link};
use super::remembered::{self, DeviceId};
use js_sys::{Array, Object, Reflect, Uint8Array};
use possum_contract::printers::Printer;
use possum_print::esc_pos::usb_transfer_size;
use possum_print::status::PrinterProblem;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The USB printer class (`bInterfaceClass`).
pub const PRINTER_CLASS: u8 = 7;

#[wasm_bindgen]
extern "C" {
    /// `navigator.usb`.
    pub type Usb;
    #[wasm_bindgen(method, catch, js_name = getDevices)]
    fn get_devices(this: &Usb) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = requestDevice)]
    fn request_device(this: &Usb, options: &JsValue) -> Result<js_sys::Promise, JsValue>;

    pub type UsbDevice;
    #[wasm_bindgen(method, getter, js_name = vendorId)]
    fn vendor_id(this: &UsbDevice) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = productId)]
    fn product_id(this: &UsbDevice) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = serialNumber)]
    fn serial_number(this: &UsbDevice) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn configuration(this: &UsbDevice) -> JsValue;
    #[wasm_bindgen(method, catch)]
    fn open(this: &UsbDevice) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn close(this: &UsbDevice) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = selectConfiguration)]
    fn select_configuration(this: &UsbDevice, value: u8) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = claimInterface)]
    fn claim_interface(this: &UsbDevice, number: u8) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = releaseInterface)]
    fn release_interface(this: &UsbDevice, number: u8) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = transferOut)]
    fn transfer_out(this: &UsbDevice, endpoint: u8, data: &Uint8Array) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = transferIn)]
    fn transfer_in(this: &UsbDevice, endpoint: u8, length: u32) -> Result<js_sys::Promise, JsValue>;
}

fn usb() -> Result<Usb, PrintError> {
    navigator_api("usb", "WebUSB").map(JsCast::unchecked_into)
}

/// Whether this browser can reach a USB printer at all.
pub fn supported() -> bool {
    usb().is_ok()
}

fn get(object: &JsValue, field: &str) -> JsValue {
    Reflect::get(object, &field.into()).unwrap_or(JsValue::UNDEFINED)
}

fn small(value: &JsValue) -> Option<u32> {
    value.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n)).map(|n| n as u32)
}

fn id_of(device: &UsbDevice) -> DeviceId {
    DeviceId {
        vendor_id: small(&device.vendor_id()).and_then(|n| u16::try_from(n).ok()),
        product_id: small(&device.product_id()).and_then(|n| u16::try_from(n).ok()),
        serial_number: device.serial_number().as_string().filter(|s| !s.is_empty()),
    }
}

/// Staff choose the printer in the browser's picker (call from a click); it
/// offers printer-class devices only, and the choice is remembered for `printer`.
pub async fn pair(printer: &Printer) -> Result<DeviceId, PrintError> {
    let filter = Object::new();
    let _ = Reflect::set(&filter, &"classCode".into(), &PRINTER_CLASS.into());
    let options = Object::new();
    let _ = Reflect::set(&options, &"filters".into(), &Array::of1(&filter));
    let device: UsbDevice = device_call(usb()?.request_device(&options.into())).await?.unchecked_into();
    let id = id_of(&device);
    remembered::remember(printer, &id).map_err(PrintError::Busy)?;
    Ok(id)
}

async fn device_of(printer: &Printer) -> Result<UsbDevice, PrintError> {
    granted_device(device_call(usb()?.get_devices()).await?, printer, id_of)
}

/// Where a job goes on a device: its printer-class interface and endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Endpoints {
    interface: u8,
    bulk_out: u8,
    packet_size: usize,
    bulk_in: Option<u8>,
}

/// The printer interface of the device's active configuration.
fn endpoints(configuration: &JsValue) -> Option<Endpoints> {
    let interfaces: Array = get(configuration, "interfaces").dyn_into().ok()?;
    interfaces.iter().find_map(|interface| {
        let alternate = get(&interface, "alternate");
        if small(&get(&alternate, "interfaceClass")) != Some(u32::from(PRINTER_CLASS)) {
            return None;
        }
        let endpoints: Array = get(&alternate, "endpoints").dyn_into().ok()?;
        let bulk = |direction: &str| {
            endpoints.iter().find(|e| {
                get(e, "type").as_string().as_deref() == Some("bulk")
                    && get(e, "direction").as_string().as_deref() == Some(direction)
            })
        };
        let number = |e: &JsValue| small(&get(e, "endpointNumber")).and_then(|n| u8::try_from(n).ok());
        let out = bulk("out")?;
        Some(Endpoints {
            interface: small(&get(&interface, "interfaceNumber")).and_then(|n| u8::try_from(n).ok())?,
            bulk_out: number(&out)?,
            packet_size: small(&get(&out, "packetSize")).unwrap_or(64) as usize,
            bulk_in: bulk("in").as_ref().and_then(number),
        })
    })
}

/// An open device with its printer interface claimed.
struct OpenDevice {
    device: UsbDevice,
    endpoints: Endpoints,
}

/// A transfer's `status`: "ok", or a stall or babble, which is the device's fault.
fn check_status(result: &JsValue) -> Result<(), PrintError> {
    match get(result, "status").as_string().as_deref() {
        Some("ok") => Ok(()),
        other => {
            Err(PrintError::Gone(format!("the USB transfer ended with {}", other.unwrap_or("no status"))))
        }
    }
}

impl Link for OpenDevice {
    async fn write(&self, bytes: &[u8]) -> Result<(), PrintError> {
        for chunk in bytes.chunks(usb_transfer_size(self.endpoints.packet_size)) {
            let result =
                device_call(self.device.transfer_out(self.endpoints.bulk_out, &Uint8Array::from(chunk)))
                    .await?;
            check_status(&result)?;
        }
        Ok(())
    }

    async fn read(&self) -> Result<Vec<u8>, PrintError> {
        let Some(bulk_in) = self.endpoints.bulk_in else {
            std::future::pending::<()>().await;
            unreachable!()
        };
        let length = u32::try_from(self.endpoints.packet_size).unwrap_or(64);
        loop {
            let result = device_call(self.device.transfer_in(bulk_in, length)).await?;
            check_status(&result)?;
            let data = get(&result, "data");
            let bytes = match data.dyn_ref::<js_sys::DataView>() {
                Some(view) => Uint8Array::new_with_byte_offset_and_length(
                    &view.buffer(),
                    view.byte_offset() as u32,
                    view.byte_length() as u32,
                )
                .to_vec(),
                None => Vec::new(),
            };
            // A printer-class device answers empty packets while it has nothing to say.
            if !bytes.is_empty() {
                return Ok(bytes);
            }
        }
    }
}

impl OpenDevice {
    async fn open(device: UsbDevice) -> Result<OpenDevice, PrintError> {
        device_call(device.open()).await?;
        if device.configuration().is_null() {
            device_call(device.select_configuration(1)).await?;
        }
        let endpoints = endpoints(&device.configuration()).ok_or_else(|| {
            PrintError::Gone("the USB device has no printer interface with a bulk OUT endpoint".into())
        })?;
        device_call(device.claim_interface(endpoints.interface)).await?;
        Ok(OpenDevice { device, endpoints })
    }

    /// Releases the interface and closes the device, which also ends any
    /// transfer still waiting (a status question nobody answered).
    async fn close(self) {
        settle(self.device.release_interface(self.endpoints.interface)).await;
        settle(self.device.close()).await;
    }
}

/// Sends ESC/POS `bytes` to `printer`'s USB device within `deadline`: opens
/// it, claims the printer interface, asks the printer's state (for a job),
/// sends in whole-packet transfers, closes the device whether the job went
/// or not.
pub async fn send(
    printer: &Printer,
    bytes: Bytes<'_>,
    deadline: Deadline,
) -> Result<Vec<PrinterProblem>, PrintError> {
    let device = deadline.run(device_of(printer)).await?;
    let open = match deadline.run(OpenDevice::open(device.clone().unchecked_into())).await {
        Ok(open) => open,
        Err(e) => {
            // Opened but no printer interface (or a claim refused): close it again.
            clean_up(CLOSE_MS, settle(device.close())).await;
            return Err(e);
        }
    };
    let sent = deadline.run(link::send(&open, bytes)).await;
    clean_up(CLOSE_MS, open.close()).await;
    sent
}
