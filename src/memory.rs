//! When freed memory goes back to the system. kehoach's binary allocates
//! with mimalloc (version 2), which hands memory a thread freed back to the
//! system 10 ms later — but only as that thread goes on allocating.

/// mimalloc's `purge_delay` option (its place in mimalloc 2's option list;
/// a test checks it against the default of 10 ms).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The long listings (`due`, `tasks`) load the plan, then build their rows,
/// sort them and draw them — each step freeing what the one before made.
/// Memory handed back to the system 10 ms after it is freed is faulted in
/// and zeroed again by the next step: at national size that was a quarter
/// of `due`'s time. These commands keep freed memory from the start of the
/// run: the buffers the load reads and frees (some 45 MiB at national
/// size) then hold the rows, where handed back they made the system zero
/// as many fresh pages again. Their peak stays under twice the report's
/// (2–16 MiB more than keeping freed memory only once the plan is loaded).
pub fn keep_freed() {
    // SAFETY: sets an integer option; mimalloc reads it at each purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// Whether the run keeps the memory it frees (`keep_freed`).
pub(crate) fn keeps_freed() -> bool {
    // SAFETY: reads an integer option.
    unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) < 0 }
}

/// Hands back what every core has freed, unless the run keeps freed
/// memory (`keep_freed`). Loading frees on one thread much of what others
/// made (parsed files, per-file results merged into one list), and a core
/// gone idle never returns it: at national size, 20–40 MB held on top of
/// the plan at the moment it is largest.
pub(crate) fn release_freed() {
    if keeps_freed() {
        return;
    }
    rayon::broadcast(|_| {
        // SAFETY: collects this thread's heap and returns its free pages.
        unsafe { libmimalloc_sys::mi_collect(true) }
    });
}

/// Reads one number for each of `items` — where the work that follows
/// will look — in a loop that does nothing else, and drops the numbers.
/// Values that lie anywhere in a national plan's memory (an occurrence's
/// updates, a row's title) wait on memory one by one when each is read as
/// its work needs it; read side by side, many are fetched at once, and the
/// work then finds them in the cache.
pub fn read_ahead<T>(items: impl IntoIterator<Item = T>, read: impl Fn(T) -> u32) {
    let sum = items
        .into_iter()
        .fold(0u32, |sum, item| sum.wrapping_add(read(item)));
    std::hint::black_box(sum);
}

#[cfg(test)]
mod tests {
    #[test]
    fn purge_delay_is_the_option_it_names() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads an integer option.
            assert_eq!(
                unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) },
                10
            );
        }
    }
}
