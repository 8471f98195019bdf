//! Work that runs on the rayon pool while the JS thread goes on, its results readable in order
//! as they come: one call starts it and returns a job id; `take(id, from, at_least)` blocks until
//! items `from..at_least` are done and returns every item done from `from` on (so a caller that
//! needs item i waits for nothing after it); `finish(id)` waits for all and forgets the job.
//! The inputs are moved in, so the JS buffers are free as soon as the start call returns.
//!
//! Each item is a task of its own, queued in order, so the first items are done first; a caller
//! that waits for items no pool thread has started does them itself. No thread is created per
//! job.
//!
//! Consumer: `ecrecoverAddressBatchStart`/`Take`/`Finish` (the senders of the block being
//! executed, or of the blocks ahead of it, recovered while the JS thread executes).

use std::sync::{Arc, Condvar, Mutex};

struct State {
    out: Vec<u8>,
    /// Item i is being worked on or done (by a pool thread, or by the waiting caller).
    claimed: Vec<bool>,
    ready: Vec<bool>,
}

type Work = dyn Fn(usize, &mut [u8]) + Send + Sync;

struct Job {
    stride: usize,
    work: Box<Work>,
    state: Mutex<State>,
    done: Condvar,
}

impl Job {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Item `i` on this thread, unless another has claimed it.
    fn run(&self, i: usize) {
        {
            let mut s = self.lock();
            if s.claimed[i] {
                return;
            }
            s.claimed[i] = true;
        }
        let mut slot = vec![0u8; self.stride];
        // a panicking item stays zero (status 0: not recovered) rather than aborting the process
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.work)(i, &mut slot)));
        let mut s = self.lock();
        s.out[self.stride * i..self.stride * (i + 1)].copy_from_slice(&slot);
        s.ready[i] = true;
        drop(s);
        self.done.notify_all();
    }

    /// Items `from..to` done (those no thread has started are done here: a waiting caller works
    /// rather than idles when the pool is busy); returns the bytes of the done run from `from` on.
    fn take(&self, from: usize, to: usize) -> Vec<u8> {
        for i in from..to {
            self.run(i);
        }
        let mut s = self.lock();
        while !s.ready[from..to].iter().all(|r| *r) {
            s = self.done.wait(s).unwrap_or_else(|p| p.into_inner());
        }
        let end = s.ready[to..].iter().position(|r| !*r).map_or(s.ready.len(), |k| to + k);
        s.out[self.stride * from..self.stride * end].to_vec()
    }
}

struct Jobs {
    next: u32,
    running: Vec<(u32, Arc<Job>)>,
}

static JOBS: Mutex<Jobs> = Mutex::new(Jobs { next: 1, running: Vec::new() });

/// Starts `n` items of `stride` output bytes each on the pool: `work(i, slot)` fills item i's
/// slot (zeroed before). Returns the job's id.
pub fn start(n: usize, stride: usize, work: impl Fn(usize, &mut [u8]) + Send + Sync + 'static) -> u32 {
    let state = State { out: vec![0; n * stride], claimed: vec![false; n], ready: vec![false; n] };
    let job = Arc::new(Job { stride, work: Box::new(work), state: Mutex::new(state), done: Condvar::new() });
    // one task per item, queued in order: the first items are done first, and a parallel call of
    // the JS thread (a trie root, a keccak batch) waits for one item at most, not a whole job
    for i in 0..n {
        let job = job.clone();
        rayon::spawn(move || job.run(i));
    }
    let mut jobs = JOBS.lock().unwrap_or_else(|p| p.into_inner());
    let id = jobs.next;
    jobs.next = jobs.next.wrapping_add(1).max(1);
    jobs.running.push((id, job));
    id
}

fn find(id: u32) -> Result<Arc<Job>, String> {
    let jobs = JOBS.lock().unwrap_or_else(|p| p.into_inner());
    jobs.running.iter().find(|(i, _)| *i == id).map(|(_, j)| j.clone()).ok_or_else(|| format!("no job {id}"))
}

/// Items `from..` of job `id` that are done, once at least `from..at_least` are (see the top).
pub fn take(id: u32, from: usize, at_least: usize) -> Result<Vec<u8>, String> {
    let job = find(id)?;
    let n = job.lock().ready.len();
    if from > at_least || at_least > n {
        return Err(format!("job {id} has {n} items, cannot take {from}..{at_least}"));
    }
    Ok(job.take(from, at_least))
}

/// Waits for every item of job `id` and takes them all; an error for an unknown (or already
/// finished) id.
pub fn finish(id: u32) -> Result<Vec<u8>, String> {
    let job = {
        let mut jobs = JOBS.lock().unwrap_or_else(|p| p.into_inner());
        let at = jobs.running.iter().position(|(i, _)| *i == id).ok_or_else(|| format!("no job {id}"))?;
        jobs.running.swap_remove(at).1
    };
    let n = job.lock().ready.len();
    Ok(job.take(0, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_take_finish() {
        let a = start(5, 2, |i, slot| slot.copy_from_slice(&[i as u8, 7]));
        let b = start(0, 2, |_, _| {});
        assert_eq!(finish(b).unwrap(), Vec::<u8>::new());
        let first = take(a, 0, 2).unwrap();
        assert!(first.len() >= 4 && first.len() % 2 == 0);
        assert_eq!(&first[..4], &[0, 7, 1, 7]);
        assert_eq!(take(a, 3, 5).unwrap(), vec![3, 7, 4, 7]);
        assert!(take(a, 2, 6).is_err());
        assert_eq!(finish(a).unwrap(), vec![0, 7, 1, 7, 2, 7, 3, 7, 4, 7]);
        assert!(finish(a).is_err());
        assert!(take(a, 0, 1).is_err());
    }
}
