//! A VM's status as it changes, on stderr so that stdout keeps only the answer: a spinner on
//! a terminal, a line per change otherwise (logs, pipes, tests).

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

pub struct StatusDisplay {
    vm: String,
    spinner: Option<ProgressBar>,
    last: Option<String>,
}

impl StatusDisplay {
    pub fn new(vm: &str) -> Self {
        let spinner = std::io::stderr().is_terminal().then(|| {
            let spinner = ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .expect("the template is valid"),
            );
            spinner.enable_steady_tick(Duration::from_millis(100));
            spinner
        });
        Self {
            vm: vm.to_owned(),
            spinner,
            last: None,
        }
    }

    /// Shows the status if it differs from the last one shown.
    pub fn show(&mut self, status: &str) {
        if self.last.as_deref() == Some(status) {
            return;
        }
        let line = format!("{}: {status}", self.vm);
        match &self.spinner {
            // The spinner keeps each change above it, so the whole sequence stays readable.
            Some(spinner) => {
                if self.last.is_some() {
                    spinner.println(spinner.message());
                }
                spinner.set_message(line);
            }
            None => eprintln!("{line}"),
        }
        self.last = Some(status.to_owned());
    }

    /// Stops the spinner, leaving the final status on screen.
    pub fn finish(self) {
        if let Some(spinner) = self.spinner {
            let last = spinner.message();
            spinner.finish_and_clear();
            eprintln!("{last}");
        }
    }
}
