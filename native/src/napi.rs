//! The slice of Node-API (node_api.h / js_native_api.h) the addon uses, declared by hand, and the
//! glue around it: argument access, typed-array views, result allocation, and the boundary that
//! turns Rust errors and panics into thrown JS exceptions.
//!
//! The `napi_*` symbols are left undefined in the shared object; the host process (bun, node)
//! provides them when it loads the addon.

#![allow(non_camel_case_types)]

use std::ffi::{c_char, c_int, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

#[repr(C)]
pub struct napi_env__ {
    _p: [u8; 0],
}
#[repr(C)]
pub struct napi_value__ {
    _p: [u8; 0],
}
#[repr(C)]
pub struct napi_callback_info__ {
    _p: [u8; 0],
}

pub type napi_env = *mut napi_env__;
pub type napi_value = *mut napi_value__;
pub type napi_callback_info = *mut napi_callback_info__;
pub type napi_status = c_int;
pub type napi_callback = Option<unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value>;
pub type napi_typedarray_type = c_int;

const NAPI_OK: napi_status = 0;
const NAPI_UINT8_ARRAY: napi_typedarray_type = 1;
const NAPI_UINT32_ARRAY: napi_typedarray_type = 6;
const NAPI_UNDEFINED: c_int = 0; // napi_valuetype

extern "C" {
    fn napi_get_cb_info(
        env: napi_env,
        cbinfo: napi_callback_info,
        argc: *mut usize,
        argv: *mut napi_value,
        this_arg: *mut napi_value,
        data: *mut *mut c_void,
    ) -> napi_status;
    fn napi_get_typedarray_info(
        env: napi_env,
        typedarray: napi_value,
        kind: *mut napi_typedarray_type,
        length: *mut usize,
        data: *mut *mut c_void,
        arraybuffer: *mut napi_value,
        byte_offset: *mut usize,
    ) -> napi_status;
    fn napi_is_typedarray(env: napi_env, value: napi_value, result: *mut bool) -> napi_status;
    fn napi_create_arraybuffer(
        env: napi_env,
        byte_length: usize,
        data: *mut *mut c_void,
        result: *mut napi_value,
    ) -> napi_status;
    fn napi_create_typedarray(
        env: napi_env,
        kind: napi_typedarray_type,
        length: usize,
        arraybuffer: napi_value,
        byte_offset: usize,
        result: *mut napi_value,
    ) -> napi_status;
    fn napi_typeof(env: napi_env, value: napi_value, result: *mut c_int) -> napi_status;
    fn napi_get_value_double(env: napi_env, value: napi_value, result: *mut f64) -> napi_status;
    fn napi_get_null(env: napi_env, result: *mut napi_value) -> napi_status;
    fn napi_create_double(env: napi_env, value: f64, result: *mut napi_value) -> napi_status;
    fn napi_get_undefined(env: napi_env, result: *mut napi_value) -> napi_status;
    fn napi_throw_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
    fn napi_throw_type_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
    fn napi_throw_range_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
    fn napi_is_exception_pending(env: napi_env, result: *mut bool) -> napi_status;
    fn napi_create_function(
        env: napi_env,
        utf8name: *const c_char,
        length: usize,
        cb: napi_callback,
        data: *mut c_void,
        result: *mut napi_value,
    ) -> napi_status;
    fn napi_set_named_property(
        env: napi_env,
        object: napi_value,
        utf8name: *const c_char,
        value: napi_value,
    ) -> napi_status;
    fn napi_create_string_utf8(env: napi_env, s: *const c_char, length: usize, result: *mut napi_value) -> napi_status;
    fn napi_create_array_with_length(env: napi_env, length: usize, result: *mut napi_value) -> napi_status;
    fn napi_set_element(env: napi_env, object: napi_value, index: u32, value: napi_value) -> napi_status;
}

/// An error to throw into JS. The kind picks the constructor.
#[derive(Debug)]
pub enum JsError {
    /// `TypeError`: wrong argument type or count.
    Type(String),
    /// `RangeError`: right type, wrong length or out-of-range value.
    Range(String),
    /// `Error`: anything else (invalid private key, N-API failure).
    Plain(String),
}

pub type JsResult<T> = Result<T, JsError>;

/// A caller-provided output buffer (see [`Call::bytes_out`]).
pub struct OutBytes {
    ptr: *mut u8,
    pub len: usize,
}

impl OutBytes {
    /// Copies `src` to `[offset, offset + src.len())`; false (nothing written) when out of bounds.
    pub fn write(&self, offset: usize, src: &[u8]) -> bool {
        match offset.checked_add(src.len()) {
            Some(end) if end <= self.len => {
                // SAFETY: in bounds of the typed array, which outlives the call; `copy` allows overlap.
                unsafe { ptr::copy(src.as_ptr(), self.ptr.add(offset), src.len()) };
                true
            }
            _ => false,
        }
    }
}

/// Arguments of one call, plus the env they belong to.
pub struct Call {
    pub env: napi_env,
    name: &'static str,
    argv: [napi_value; 4],
    argc: usize,
}

impl Call {
    fn arg(&self, i: usize, what: &str) -> JsResult<napi_value> {
        if i < self.argc && i < self.argv.len() {
            Ok(self.argv[i])
        } else {
            Err(JsError::Type(format!("{}: missing argument {} ({what})", self.name, i + 1)))
        }
    }

    fn typed_array(&self, i: usize, what: &str, want: napi_typedarray_type) -> JsResult<(*const u8, usize)> {
        let v = self.arg(i, what)?;
        let want_name = if want == NAPI_UINT8_ARRAY { "Uint8Array" } else { "Uint32Array" };
        let bad = || JsError::Type(format!("{}: argument {} ({what}) must be a {want_name}", self.name, i + 1));
        let mut kind: napi_typedarray_type = -1;
        let mut len = 0usize;
        let mut data: *mut c_void = ptr::null_mut();
        let mut offset = 0usize;
        // Not every runtime reports a non-typed-array argument as an error status here, so the
        // check is explicit (it is cheap next to the work behind it).
        let mut is_ta = false;
        let st = unsafe { napi_is_typedarray(self.env, v, &mut is_ta) };
        if st != NAPI_OK || !is_ta {
            return Err(bad());
        }
        let mut ab: napi_value = ptr::null_mut();
        let st = unsafe { napi_get_typedarray_info(self.env, v, &mut kind, &mut len, &mut data, &mut ab, &mut offset) };
        if st != NAPI_OK || kind != want {
            return Err(bad());
        }
        if len != 0 && data.is_null() {
            return Err(JsError::Type(format!("{}: argument {} ({what}) is detached", self.name, i + 1)));
        }
        // An empty (or detached) array may report a NULL pointer; slices need a non-null one.
        let data = if len == 0 { ptr::NonNull::<u32>::dangling().as_ptr() as *const u8 } else { data as *const u8 };
        Ok((data, len))
    }

    /// A borrowed view of a `Uint8Array` (or `Buffer`) argument. Valid for the duration of the
    /// call: the JS thread is blocked in it and the engine does not move array contents.
    pub fn bytes(&self, i: usize, what: &str) -> JsResult<&[u8]> {
        let (data, len) = self.typed_array(i, what, NAPI_UINT8_ARRAY)?;
        Ok(unsafe { std::slice::from_raw_parts(data, len) })
    }

    /// Like [`Call::bytes`] with an exact length requirement.
    pub fn bytes_n<const N: usize>(&self, i: usize, what: &str) -> JsResult<&[u8; N]> {
        let b = self.bytes(i, what)?;
        b.try_into().map_err(|_| {
            JsError::Range(format!("{}: argument {} ({what}) must be {N} bytes, got {}", self.name, i + 1, b.len()))
        })
    }

    /// A borrowed view of a `Uint32Array` argument.
    pub fn u32s(&self, i: usize, what: &str) -> JsResult<&[u32]> {
        let (data, len) = self.typed_array(i, what, NAPI_UINT32_ARRAY)?;
        if (data as usize) % std::mem::align_of::<u32>() != 0 {
            return Err(JsError::Range(format!("{}: argument {} ({what}) is not 4-byte aligned", self.name, i + 1)));
        }
        Ok(unsafe { std::slice::from_raw_parts(data as *const u32, len) })
    }

    /// A JS number argument.
    pub fn number(&self, i: usize, what: &str) -> JsResult<f64> {
        let v = self.arg(i, what)?;
        let mut out = 0f64;
        if unsafe { napi_get_value_double(self.env, v, &mut out) } != NAPI_OK {
            return Err(JsError::Type(format!("{}: argument {} ({what}) must be a number", self.name, i + 1)));
        }
        Ok(out)
    }

    #[allow(dead_code)]
    /// An optional JS number argument: None when absent or `undefined`.
    pub fn opt_number(&self, i: usize, what: &str) -> JsResult<Option<f64>> {
        if i >= self.argc || i >= self.argv.len() {
            return Ok(None);
        }
        let mut t: c_int = -1;
        check(unsafe { napi_typeof(self.env, self.argv[i], &mut t) }, "napi_typeof")?;
        if t == NAPI_UNDEFINED {
            return Ok(None);
        }
        self.number(i, what).map(Some)
    }

    /// A Uint8Array argument to write into. It may be the same memory as an input argument, so
    /// it is written through a raw pointer ([`OutBytes::write`]), never borrowed as `&mut`.
    pub fn bytes_out(&self, i: usize, what: &str) -> JsResult<OutBytes> {
        let (data, len) = self.typed_array(i, what, NAPI_UINT8_ARRAY)?;
        Ok(OutBytes { ptr: data as *mut u8, len })
    }

    pub fn range_error(&self, msg: impl std::fmt::Display) -> JsError {
        JsError::Range(format!("{}: {msg}", self.name))
    }

    pub fn error(&self, msg: impl std::fmt::Display) -> JsError {
        JsError::Plain(format!("{}: {msg}", self.name))
    }

    /// A new `Uint8Array` of `len` bytes (zeroed), handed to `fill` to write its contents.
    pub fn new_bytes(&self, len: usize, fill: impl FnOnce(&mut [u8]) -> JsResult<()>) -> JsResult<napi_value> {
        new_uint8array(self.env, len, fill)
    }

    /// A new `Uint8Array` holding a copy of `bytes`.
    pub fn copy_bytes(&self, bytes: &[u8]) -> JsResult<napi_value> {
        new_uint8array(self.env, bytes.len(), |out| {
            out.copy_from_slice(bytes);
            Ok(())
        })
    }

    pub fn new_number(&self, value: f64) -> JsResult<napi_value> {
        let mut v = ptr::null_mut();
        check(unsafe { napi_create_double(self.env, value, &mut v) }, "napi_create_double")?;
        Ok(v)
    }

    pub fn null(&self) -> JsResult<napi_value> {
        let mut v = ptr::null_mut();
        check(unsafe { napi_get_null(self.env, &mut v) }, "napi_get_null")?;
        Ok(v)
    }

    pub fn undefined(&self) -> JsResult<napi_value> {
        let mut v = ptr::null_mut();
        check(unsafe { napi_get_undefined(self.env, &mut v) }, "napi_get_undefined")?;
        Ok(v)
    }
}

fn check(status: napi_status, what: &str) -> JsResult<()> {
    if status == NAPI_OK {
        Ok(())
    } else {
        Err(JsError::Plain(format!("{what} failed (napi_status {status})")))
    }
}

fn new_uint8array(env: napi_env, len: usize, fill: impl FnOnce(&mut [u8]) -> JsResult<()>) -> JsResult<napi_value> {
    let mut data: *mut c_void = ptr::null_mut();
    let mut ab = ptr::null_mut();
    check(unsafe { napi_create_arraybuffer(env, len, &mut data, &mut ab) }, "napi_create_arraybuffer")?;
    if len > 0 {
        if data.is_null() {
            return Err(JsError::Plain("napi_create_arraybuffer returned no memory".into()));
        }
        // N-API does not promise zeroed memory; callers may rely on it.
        let out = unsafe { std::slice::from_raw_parts_mut(data as *mut u8, len) };
        out.fill(0);
        fill(out)?;
    } else {
        fill(&mut [])?;
    }
    let mut ta = ptr::null_mut();
    check(unsafe { napi_create_typedarray(env, NAPI_UINT8_ARRAY, len, ab, 0, &mut ta) }, "napi_create_typedarray")?;
    Ok(ta)
}

fn throw(env: napi_env, err: JsError) {
    let mut pending = false;
    unsafe { napi_is_exception_pending(env, &mut pending) };
    if pending {
        return;
    }
    let (f, msg): (unsafe extern "C" fn(napi_env, *const c_char, *const c_char) -> napi_status, String) = match err {
        JsError::Type(m) => (napi_throw_type_error, m),
        JsError::Range(m) => (napi_throw_range_error, m),
        JsError::Plain(m) => (napi_throw_error, m),
    };
    let msg = CString::new(msg.replace('\0', " ")).unwrap_or_default();
    unsafe { f(env, ptr::null(), msg.as_ptr()) };
}

/// Runs one exported function: reads the arguments, calls `body`, and turns an error or a panic
/// into a thrown JS exception (returning NULL, which N-API maps to `undefined` + the exception).
/// Nothing unwinds across the FFI boundary.
pub fn call(
    env: napi_env,
    info: napi_callback_info,
    name: &'static str,
    body: fn(&Call) -> JsResult<napi_value>,
) -> napi_value {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut c = Call { env, name, argv: [ptr::null_mut(); 4], argc: 4 };
        let st =
            unsafe { napi_get_cb_info(env, info, &mut c.argc, c.argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()) };
        check(st, "napi_get_cb_info")?;
        body(&c)
    }));
    match result {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            throw(env, e);
            ptr::null_mut()
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            throw(env, JsError::Plain(format!("{name}: internal error in native addon: {what}")));
            ptr::null_mut()
        }
    }
}

/// Defines `exports[name] = function`.
pub fn export_function(env: napi_env, exports: napi_value, name: &str, cb: napi_callback) -> JsResult<()> {
    let cname = CString::new(name).expect("export name");
    let mut f = ptr::null_mut();
    check(
        unsafe { napi_create_function(env, cname.as_ptr(), name.len(), cb, ptr::null_mut(), &mut f) },
        "napi_create_function",
    )?;
    check(unsafe { napi_set_named_property(env, exports, cname.as_ptr(), f) }, "napi_set_named_property")
}

/// Defines `exports[name] = value` for a string.
pub fn export_string(env: napi_env, exports: napi_value, name: &str, value: &str) -> JsResult<()> {
    let v = string(env, value)?;
    let cname = CString::new(name).expect("export name");
    check(unsafe { napi_set_named_property(env, exports, cname.as_ptr(), v) }, "napi_set_named_property")
}

/// Defines `exports[name] = [...values]` for strings.
pub fn export_strings(env: napi_env, exports: napi_value, name: &str, values: &[&str]) -> JsResult<()> {
    let mut arr = ptr::null_mut();
    check(unsafe { napi_create_array_with_length(env, values.len(), &mut arr) }, "napi_create_array_with_length")?;
    for (i, s) in values.iter().enumerate() {
        let v = string(env, s)?;
        check(unsafe { napi_set_element(env, arr, i as u32, v) }, "napi_set_element")?;
    }
    let cname = CString::new(name).expect("export name");
    check(unsafe { napi_set_named_property(env, exports, cname.as_ptr(), arr) }, "napi_set_named_property")
}

fn string(env: napi_env, s: &str) -> JsResult<napi_value> {
    let mut v = ptr::null_mut();
    check(
        unsafe { napi_create_string_utf8(env, s.as_ptr() as *const c_char, s.len(), &mut v) },
        "napi_create_string_utf8",
    )?;
    Ok(v)
}

/// Reports registration failures to the host as a thrown error.
pub fn throw_registration_error(env: napi_env, err: JsError) {
    throw(env, err)
}
