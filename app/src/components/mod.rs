//! Widgets shared by the AdminWeb pages.

mod action_status;
mod connection_picker;
mod data_grid;
mod key_value_fields;
mod provider_select;
mod record_table;

pub use action_status::{ActionStatus, outcome};
pub use connection_picker::{
    ConnectionPicker, provide_selected_connection, use_selected_connection,
};
pub use data_grid::{Column, DataGrid};
pub use key_value_fields::KeyValueFields;
pub use provider_select::ProviderSelect;
pub use record_table::{DeleteButton, RecordTable, key_list};
