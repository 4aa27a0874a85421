//! Widgets shared by the AdminWeb pages.

mod action_status;
mod alive;
mod busy;
mod connection_picker;
mod connection_scoped;
mod copy_button;
mod create_panel;
mod curl;
mod data_grid;
mod field_errors;
mod fields;
mod key_value_fields;
mod provider_select;
mod record_picker;
mod record_table;
mod resource_buttons;
mod status_badge;

pub use action_status::{ActionStatus, outcome};
pub use alive::alive;
pub use busy::{Busy, SubmitButton, dispatch_once, provide_hydrated, running_for, use_hydrated};
pub use connection_picker::{
    ConnectionPicker, provide_page_connection, use_connection_param, use_page_connection,
};
pub use connection_scoped::{ConnectionScoped, LiveRecords, ScopedRecords, scoped_records};
pub use copy_button::CopyButton;
pub use create_panel::{CreatePanel, REFRESH_IDLE, RefreshButton, refresh_every};
pub use curl::{CurlCommand, RestCall};
pub use data_grid::{DataGrid, ServerTable};
pub use field_errors::{FieldError, FormErrors, field_error};
pub use fields::{EditableRows, RecordSelect, SelectField, TextField};
pub use key_value_fields::KeyValueFields;
pub use provider_select::ProviderSelect;
pub use record_picker::RecordPicker;
pub use record_table::{DeleteButton, RecordTable, Records, key_list};
pub use resource_buttons::{ConfirmButton, DeleteResourceButton, DeletionStatus};
pub use status_badge::StatusBadge;
