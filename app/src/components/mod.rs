//! Widgets shared by the AdminWeb pages.

mod action_status;
mod connection_picker;
mod data_grid;
mod fields;
mod for_connection;
mod key_value_fields;
mod provider_select;
mod record_table;
mod resource_buttons;
mod status_badge;

pub use action_status::{ActionStatus, outcome};
pub use connection_picker::{
    ConnectionPicker, provide_selected_connection, use_connection_name, use_selected_connection,
};
pub use data_grid::{Column, DataGrid};
pub use fields::{EditableRows, RecordSelect, SelectField, TextField};
pub use for_connection::{ConnectionRecords, ForConnection, connection_records};
pub use key_value_fields::KeyValueFields;
pub use provider_select::ProviderSelect;
pub use record_table::{DeleteButton, RecordTable, Records, key_list};
pub use resource_buttons::{ConfirmButton, DeleteResourceButton};
pub use status_badge::StatusBadge;
