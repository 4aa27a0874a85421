use leptos::prelude::*;

use super::alive;
use crate::api::{Table, error_text};

const PAGE_SIZE: usize = 20;

/// Compares cells as numbers when both are, else as text.
fn compare(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

/// A read-only table, as the server formatted it, with search over every cell, sorting by a
/// column header click, and pagination, for lists as long as a cloud's image catalogue.
#[component]
pub fn DataGrid(table: Table, label: &'static str) -> impl IntoView {
    let Table { headers, rows } = table;
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(None::<(usize, bool)>);
    let page = RwSignal::new(0usize);
    let shown = Memo::new(move |_| {
        let needle = search.get().to_lowercase();
        let mut cells: Vec<Vec<String>> = rows
            .iter()
            .filter(|cells| {
                needle.is_empty()
                    || cells
                        .iter()
                        .any(|cell| cell.to_lowercase().contains(&needle))
            })
            .cloned()
            .collect();
        if let Some((column, ascending)) = sort.get() {
            cells.sort_by(|a, b| {
                let order = compare(&a[column], &b[column]);
                if ascending { order } else { order.reverse() }
            });
        }
        cells
    });
    let pages = move || shown.with(|rows| rows.len().div_ceil(PAGE_SIZE).max(1));
    let headers = headers
        .into_iter()
        .enumerate()
        .map(|(index, header)| {
            let arrow = move || match sort.get() {
                Some((sorted, true)) if sorted == index => " ▲",
                Some((sorted, false)) if sorted == index => " ▼",
                _ => "",
            };
            view! {
                <th scope="col">
                    <button
                        type="button"
                        class="sort"
                        on:click=move |_| {
                            sort.update(|sort| {
                                *sort = match *sort {
                                    Some((sorted, true)) if sorted == index => Some((index, false)),
                                    _ => Some((index, true)),
                                }
                            })
                        }
                    >
                        {header}
                        {arrow}
                    </button>
                </th>
            }
        })
        .collect_view();
    view! {
        <div class="grid-tools">
            <input
                type="search"
                placeholder="Search"
                aria-label=format!("Search {label}")
                prop:value=move || search.get()
                on:input=move |ev| {
                    search.set(event_target_value(&ev));
                    page.set(0);
                }
            />
            <span class="muted">{move || format!("{} {label}", shown.with(Vec::len))}</span>
        </div>
        <div class="table-scroll">
            <table class="records">
                <thead>
                    <tr>{headers}</tr>
                </thead>
                <tbody>
                    {move || {
                        let start = page.get() * PAGE_SIZE;
                        shown
                            .get()
                            .into_iter()
                            .skip(start)
                            .take(PAGE_SIZE)
                            .map(|cells| {
                                view! { <tr>{cells.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr> }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=format!("{label} pages")>
            <button type="button" class="secondary" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p -= 1)>
                "Previous"
            </button>
            <span>{move || format!("Page {} of {}", page.get() + 1, pages())}</span>
            <button
                type="button"
                class="secondary"
                disabled=move || { page.get() + 1 >= pages() }
                on:click=move |_| page.update(|p| *p += 1)
            >
                "Next"
            </button>
        </nav>
    }
}

/// A [`DataGrid`] of a table the server prepares, with a loading state and the server's error.
#[component]
pub fn ServerTable(
    table: Resource<Result<Table, ServerFnError>>,
    label: &'static str,
) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                Some(match alive(table)?.await {
                    Ok(table) => view! { <DataGrid table label /> }.into_any(),
                    Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                })
            })}
        </Transition>
    }
    .into_any()
}
