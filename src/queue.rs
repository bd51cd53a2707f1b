//! Tasks taken from one queue, in list order, by every thread of the pool.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Runs `task` over `items`: each thread of the pool takes the next item of the list as
/// soon as it is free, so the items start in list order and, listed longest first, the run
/// ends soon after its longest task. (A parallel iterator splits the list in halves
/// instead: one thread may run the short half first and then the long tasks beside each
/// other, or leave the longest for last.) After the first error no item is started; the
/// results come back in list order, or the first error in list order once the tasks begun
/// are done.
pub fn in_order<T: Sync, R: Send, E: Send>(
    items: &[T],
    task: impl Fn(&T) -> Result<R, E> + Sync,
) -> Result<Vec<R>, E> {
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<R, E>>>> = items.iter().map(|_| Mutex::new(None)).collect();
    rayon::scope(|s| {
        for _ in 0..rayon::current_num_threads().min(items.len()) {
            s.spawn(|_| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = task(item);
                if result.is_err() {
                    next.store(items.len(), Ordering::Relaxed);
                }
                *results[i].lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
            });
        }
    });
    // Items are taken in list order and none after an error, so an item left unstarted comes
    // after one that erred: read in list order, the error is met first.
    let mut out = Vec::with_capacity(items.len());
    for r in results {
        match r.into_inner().unwrap_or_else(PoisonError::into_inner) {
            Some(Ok(v)) => out.push(v),
            Some(Err(e)) => return Err(e),
            None => unreachable!("an item is left unstarted only after an earlier one erred"),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_list_order_and_the_first_error_in_list_order_wins() {
        let items: Vec<u64> = (0..50).collect();
        let squares = in_order(&items, |x| Ok::<u64, String>(x * x)).unwrap();
        assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        let failed = in_order(&items, |x| if x % 7 == 3 { Err(format!("item {x}")) } else { Ok(*x) });
        // Item 3 is taken before item 10 (the list is taken in order), and errs.
        assert_eq!(failed.unwrap_err(), "item 3");
        let none: Vec<u64> = Vec::new();
        assert!(in_order(&none, |x| Ok::<u64, ()>(*x)).unwrap().is_empty());
    }

    #[test]
    fn with_two_threads_the_second_item_starts_before_the_first_ends() {
        // Taken in list order, item 1 starts while item 0 runs: item 0 waits for it.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let started = AtomicUsize::new(0);
        let r = pool.install(|| {
            in_order(&[0, 1], |i| {
                started.fetch_add(1, Ordering::SeqCst);
                if *i == 0 {
                    let t = std::time::Instant::now();
                    while started.load(Ordering::SeqCst) < 2 {
                        if t.elapsed().as_secs() > 10 {
                            return Err("item 1 never started beside item 0");
                        }
                        std::hint::spin_loop();
                    }
                }
                Ok(*i)
            })
        });
        assert_eq!(r, Ok(vec![0, 1]));
    }
}
