//! Flags shared by Wasmtime's command-line tools.

#[derive(Debug, Default)]
pub struct CommonOptions {
    pub fuel: bool,
}

impl CommonOptions {
    pub fn parse(args: impl Iterator<Item = String>) -> CommonOptions {
        let mut opts = CommonOptions::default();
        for arg in args {
            if arg == "--fuel" {
                opts.fuel = true;
            }
        }
        opts
    }

    pub fn configure(&self, config: &mut wasmtime::Config) {
        config.consume_fuel(self.fuel);
    }
}
