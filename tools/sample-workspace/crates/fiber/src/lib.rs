//! Fibers (stand-in: runs the closure directly).

pub fn run<T>(f: impl FnOnce() -> T) -> T {
    f()
}
