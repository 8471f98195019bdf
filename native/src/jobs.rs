//! Work that runs on a background thread while the JS thread goes on: one call starts it and
//! returns a job id, a later call collects the result by that id (blocking until it is ready).
//! The inputs are copied in, so the JS buffers are free as soon as the start call returns.
//!
//! Consumer: `ecrecoverAddressBatchStart`/`Finish` (senders of the blocks ahead of the one being
//! imported are recovered while it executes).

use std::sync::Mutex;
use std::thread::JoinHandle;

struct Jobs {
    next: u32,
    running: Vec<(u32, JoinHandle<Vec<u8>>)>,
}

static JOBS: Mutex<Jobs> = Mutex::new(Jobs { next: 1, running: Vec::new() });

/// Starts `work` on a new thread; returns its id.
pub fn start(work: impl FnOnce() -> Vec<u8> + Send + 'static) -> Result<u32, String> {
    let handle = std::thread::Builder::new()
        .name("mosaic-job".into())
        .spawn(work)
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    let mut jobs = JOBS.lock().unwrap_or_else(|p| p.into_inner());
    let id = jobs.next;
    jobs.next = jobs.next.wrapping_add(1).max(1);
    jobs.running.push((id, handle));
    Ok(id)
}

/// Waits for job `id` and takes its result; an error for an unknown (or already collected) id or
/// a job that panicked.
pub fn finish(id: u32) -> Result<Vec<u8>, String> {
    let handle = {
        let mut jobs = JOBS.lock().unwrap_or_else(|p| p.into_inner());
        let at = jobs.running.iter().position(|(i, _)| *i == id).ok_or_else(|| format!("no job {id}"))?;
        jobs.running.swap_remove(at).1
    };
    handle.join().map_err(|_| format!("job {id} failed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_finish() {
        let a = start(|| vec![1, 2, 3]).unwrap();
        let b = start(|| vec![4]).unwrap();
        assert_eq!(finish(b).unwrap(), vec![4]);
        assert_eq!(finish(a).unwrap(), vec![1, 2, 3]);
        assert!(finish(a).is_err());
    }
}
