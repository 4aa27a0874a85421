//! Bounded exponential backoff for watching a cloud resource change state: quick first looks,
//! then at most one look every few seconds, until a deadline.

use std::time::Duration;

use tokio::time::Instant;

pub(crate) struct Backoff {
    delay: Duration,
    cap: Duration,
    deadline: Instant,
}

impl Backoff {
    pub fn new(limit: Duration) -> Self {
        Self {
            delay: Duration::from_millis(25),
            cap: Duration::from_secs(3),
            deadline: Instant::now() + limit,
        }
    }

    /// Sleeps before the next look; false once the deadline has passed.
    pub async fn next(&mut self) -> bool {
        let now = Instant::now();
        if now >= self.deadline {
            return false;
        }
        tokio::time::sleep(self.delay.min(self.deadline - now)).await;
        self.delay = (self.delay * 2).min(self.cap);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn backs_off_up_to_a_cap_and_stops_at_the_deadline() {
        let started = Instant::now();
        let mut backoff = Backoff::new(Duration::from_secs(10));
        let mut looks = 0;
        while backoff.next().await {
            looks += 1;
        }
        assert!(started.elapsed() >= Duration::from_secs(10));
        // 25, 50, ... 1600 ms, then 3 s steps: a handful of looks, not hundreds.
        assert!((7..=12).contains(&looks), "{looks}");
    }
}
