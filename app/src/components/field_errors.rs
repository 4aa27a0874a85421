//! Errors that name a form's field as the form does, and mark that field.
//!
//! The control plane's messages start with the JSON path of the field at fault, e.g.
//! `ReqInfo.SubnetInfoList[0].IPv4_CIDR '10.0' is not an IPv4 CIDR`, which is right for the
//! REST API. A form registers its fields' paths with their captions; the message is then
//! shown as "Subnet 1 CIDR '10.0' is not an IPv4 CIDR", and that input is marked invalid.

use leptos::prelude::*;

use crate::api::error_text;

/// The paths and captions of one form's fields, and the form's last error.
#[derive(Clone, Copy)]
pub struct FormErrors {
    error: Signal<Option<String>>,
    fields: StoredValue<Vec<(String, String)>>,
}

/// The field among `fields` that `message` starts with (the longest, so `Name` does not take
/// `NameServer`'s message), and the message after it.
fn field_at<'a>(
    fields: &'a [(String, String)],
    message: &'a str,
) -> Option<(&'a (String, String), &'a str)> {
    fields
        .iter()
        .filter_map(|field| {
            let rest = message.strip_prefix(field.0.as_str())?;
            let boundary = rest
                .chars()
                .next()
                .is_none_or(|next| !(next.is_ascii_alphanumeric() || "_.[".contains(next)));
            boundary.then_some((field, rest))
        })
        .max_by_key(|(field, _)| field.0.len())
}

impl FormErrors {
    /// The errors of a form whose last outcome is `action`'s. A form hands them to its fields
    /// with `<Provider value=errors>`, which scopes them to that form alone.
    pub fn new<S>(action: ServerAction<S>) -> Self
    where
        S: server_fn::ServerFn<Error = ServerFnError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        let error = Signal::derive(move || {
            action
                .value()
                .get()
                .and_then(Result::err)
                .map(|err| error_text(&err))
        });
        Self {
            error,
            fields: StoredValue::new(Vec::new()),
        }
    }

    fn register(&self, path: String, caption: String) {
        self.fields.update_value(|fields| {
            if !fields.iter().any(|(known, _)| *known == path) {
                fields.push((path, caption));
            }
        });
    }

    /// `message` with its leading field path replaced by that field's caption.
    pub fn worded(&self, message: &str) -> String {
        self.fields
            .with_value(|fields| match field_at(fields, message) {
                Some(((_, caption), rest)) => format!("{caption}{rest}"),
                None => message.to_owned(),
            })
    }

    /// The current error, worded, when it is about the field at `path`.
    fn of_field(&self, path: &str) -> Option<String> {
        let message = self.error.get()?;
        self.fields.with_value(|fields| {
            let ((at, caption), rest) = field_at(fields, &message)?;
            (at == path).then(|| format!("{caption}{rest}"))
        })
    }
}

/// For a field at `path` (with `caption` as its accessible name) inside a form that provides
/// [`FormErrors`]: the error about it, if any.
pub fn field_error(path: Option<String>, caption: String) -> Signal<Option<String>> {
    let (Some(path), Some(errors)) = (path, use_context::<FormErrors>()) else {
        return Signal::stored(None);
    };
    errors.register(path.clone(), caption);
    Signal::derive(move || errors.of_field(&path))
}

/// The words under a field that `error` marks.
#[component]
pub fn FieldError(error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|message| view! { <span class="field-error">{message}</span> })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<(String, String)> {
        [
            ("ReqInfo.Name", "Name"),
            ("ReqInfo.SubnetInfoList[0].Name", "Subnet 1 name"),
            ("ReqInfo.SubnetInfoList[0].IPv4_CIDR", "Subnet 1 CIDR"),
        ]
        .into_iter()
        .map(|(path, caption)| (path.to_owned(), caption.to_owned()))
        .collect()
    }

    #[test]
    fn a_message_is_matched_to_its_field_by_the_whole_path() {
        let fields = fields();
        let ((path, caption), rest) = field_at(
            &fields,
            "ReqInfo.SubnetInfoList[0].IPv4_CIDR: overlaps subnet 'b'",
        )
        .unwrap();
        assert_eq!(
            (path.as_str(), caption.as_str()),
            ("ReqInfo.SubnetInfoList[0].IPv4_CIDR", "Subnet 1 CIDR")
        );
        assert_eq!(rest, ": overlaps subnet 'b'");
        assert_eq!(
            field_at(&fields, "ReqInfo.Name is required").unwrap().0.1,
            "Name"
        );
        assert!(field_at(&fields, "ReqInfo.NameServer is required").is_none());
        assert!(field_at(&fields, "VPC 'x' does not exist").is_none());
    }
}
