//! WASI for Wasmtime (a tiny stand-in).

/// The WASI context of one instance.
#[derive(Debug, Default)]
pub struct WasiCtx {
    inherit_stdio: bool,
}

/// Builds a [`WasiCtx`].
#[derive(Debug, Default)]
pub struct WasiCtxBuilder {
    inherit_stdio: bool,
}

impl WasiCtx {
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    pub fn inherits_stdio(&self) -> bool {
        self.inherit_stdio
    }
}

impl WasiCtxBuilder {
    pub fn inherit_stdio(mut self) -> Self {
        self.inherit_stdio = true;
        self
    }

    pub fn build(self) -> WasiCtx {
        WasiCtx {
            inherit_stdio: self.inherit_stdio,
        }
    }
}

/// Adds WASI to an engine's linker (here: checks the engine is usable).
pub fn add_to_linker(engine: &wasmtime::Engine) -> Result<(), wasmtime::Error> {
    let _ = engine.config();
    Ok(())
}
