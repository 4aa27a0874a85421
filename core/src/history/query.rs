//! Reading the history back: filtered lists, newest first, and per-API statistics.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use spinneret_drivers::model::{ApiStats, CallLogRecord};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::CallHistory;
use crate::entity::call_log;
use crate::error::{Error, Result};

const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 10_000;

/// Which calls to read. Every field is optional; times are RFC 3339.
#[derive(Clone, Debug, Default)]
pub struct CallFilter {
    pub connection_name: Option<String>,
    pub resource_type: Option<String>,
    /// The resource's name: the Spinneret name when a call acted on one, else the cloud's.
    pub resource_name: Option<String>,
    pub api: Option<String>,
    pub errors_only: bool,
    pub since: Option<String>,
    pub until: Option<String>,
    /// How many records a list returns: 100 unless given, at most 10,000.
    pub limit: Option<u64>,
}

fn micros_of(field: &str, value: &str) -> Result<i64> {
    let time = OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|_| Error::invalid(format!("{field}: '{value}' is not an RFC 3339 time")))?;
    i64::try_from(time.unix_timestamp_nanos() / 1_000)
        .map_err(|_| Error::invalid(format!("{field}: '{value}' is out of range")))
}

impl CallFilter {
    fn select(&self) -> Result<Select<call_log::Entity>> {
        let mut query = call_log::Entity::find();
        if let Some(name) = &self.connection_name {
            query = query.filter(call_log::Column::ConnectionName.eq(name));
        }
        if let Some(kind) = &self.resource_type {
            query = query.filter(call_log::Column::ResourceType.eq(kind));
        }
        if let Some(name) = &self.resource_name {
            query = query.filter(call_log::Column::ResourceName.eq(name));
        }
        if let Some(api) = &self.api {
            query = query.filter(call_log::Column::Api.eq(api));
        }
        if self.errors_only {
            query = query.filter(call_log::Column::ErrorMsg.is_not_null());
        }
        if let Some(since) = &self.since {
            query = query.filter(call_log::Column::AtMicros.gte(micros_of("Since", since)?));
        }
        if let Some(until) = &self.until {
            query = query.filter(call_log::Column::AtMicros.lte(micros_of("Until", until)?));
        }
        Ok(query)
    }

    fn limit(&self) -> Result<u64> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(0) => Err(Error::invalid("Limit: must be at least 1")),
            Some(limit) if limit > MAX_LIMIT => {
                Err(Error::invalid(format!("Limit: at most {MAX_LIMIT}")))
            }
            Some(limit) => Ok(limit),
        }
    }
}

fn record(row: call_log::Model) -> CallLogRecord {
    let time = OffsetDateTime::from_unix_timestamp_nanos(i128::from(row.at_micros) * 1_000)
        .ok()
        .and_then(|time| time.format(&Rfc3339).ok())
        .unwrap_or_default();
    CallLogRecord {
        time,
        connection_name: row.connection_name,
        cloud_os: row.cloud_os,
        region_zone: row.region_zone,
        resource_type: row.resource_type,
        resource_name: row.resource_name,
        cloud_os_api: row.api,
        elapsed_time: format!("{:.6}", row.elapsed_micros as f64 / 1e6),
        error_msg: row.error_msg.unwrap_or_default(),
        request_id: row.request_id,
    }
}

/// The nearest-rank percentile of sorted values, in milliseconds.
fn percentile_ms(sorted_micros: &[i64], fraction: f64) -> f64 {
    if sorted_micros.is_empty() {
        return 0.0;
    }
    let rank = (fraction * sorted_micros.len() as f64).ceil() as usize;
    sorted_micros[rank.clamp(1, sorted_micros.len()) - 1] as f64 / 1e3
}

impl CallHistory {
    /// The matching calls, newest first, including every call recorded before this read.
    pub async fn list(&self, filter: &CallFilter) -> Result<Vec<CallLogRecord>> {
        // The writer stores in batches: a client that made a call and then asks for the
        // history must see that call.
        self.flush().await;
        let rows = filter
            .select()?
            .order_by_desc(call_log::Column::Id)
            .limit(filter.limit()?)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(record).collect())
    }

    /// The connection of the newest call that succeeded: a cloud known to answer.
    pub async fn last_healthy_connection(&self) -> Result<Option<String>> {
        Ok(call_log::Entity::find()
            .select_only()
            .column(call_log::Column::ConnectionName)
            .filter(call_log::Column::ErrorMsg.is_null())
            .order_by_desc(call_log::Column::Id)
            .into_tuple()
            .one(&self.db)
            .await?)
    }

    /// Count, errors and latency percentiles of the matching calls, per cloud and API,
    /// including every call recorded before this read.
    pub async fn stats(&self, filter: &CallFilter) -> Result<Vec<ApiStats>> {
        self.flush().await;
        let rows: Vec<(String, String, i64, Option<String>)> = filter
            .select()?
            .select_only()
            .column(call_log::Column::CloudOs)
            .column(call_log::Column::Api)
            .column(call_log::Column::ElapsedMicros)
            .column(call_log::Column::ErrorMsg)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut by_api: BTreeMap<(String, String), (Vec<i64>, u64)> = BTreeMap::new();
        for (cloud_os, api, elapsed, error) in rows {
            let (elapsed_list, errors) = by_api.entry((cloud_os, api)).or_default();
            elapsed_list.push(elapsed);
            *errors += u64::from(error.is_some());
        }
        Ok(by_api
            .into_iter()
            .map(|((cloud_os, cloud_os_api), (mut elapsed, errors))| {
                elapsed.sort_unstable();
                ApiStats {
                    cloud_os,
                    cloud_os_api,
                    count: elapsed.len() as u64,
                    errors,
                    p50_ms: percentile_ms(&elapsed, 0.50),
                    p99_ms: percentile_ms(&elapsed, 0.99),
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let micros: Vec<i64> = (1..=100).map(|ms| ms * 1_000).collect();
        assert_eq!(percentile_ms(&micros, 0.50), 50.0);
        assert_eq!(percentile_ms(&micros, 0.99), 99.0);
        assert_eq!(percentile_ms(&[7_000], 0.99), 7.0);
        assert_eq!(percentile_ms(&[], 0.5), 0.0);
    }

    #[test]
    fn bad_times_and_limits_name_the_field() {
        let filter = CallFilter {
            since: Some("yesterday".into()),
            ..CallFilter::default()
        };
        assert_eq!(
            filter.select().unwrap_err().message(),
            "Since: 'yesterday' is not an RFC 3339 time"
        );
        let filter = CallFilter {
            limit: Some(50_000),
            ..CallFilter::default()
        };
        assert_eq!(
            filter.limit().unwrap_err().message(),
            "Limit: at most 10000"
        );
    }
}
