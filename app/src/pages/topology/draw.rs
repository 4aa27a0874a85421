//! The topology graph drawn as SVG. Styling comes from the stylesheet's classes: the content
//! security policy allows no inline styles.

use leptos::prelude::*;

use super::graph::{Column, Graph, Node};

const COLUMN_WIDTH: usize = 220;
const BOX_WIDTH: usize = 170;
const BOX_HEIGHT: usize = 46;
const ROW_HEIGHT: usize = 62;
/// Room for the column headings.
const TOP: usize = 40;
const MARGIN: usize = 10;
/// Longer names are shortened in the box; its tooltip has them whole.
const SHOWN_CHARS: usize = 22;

fn left(column: Column) -> usize {
    MARGIN + column.index() * COLUMN_WIDTH
}

fn top(row: usize) -> usize {
    TOP + row * ROW_HEIGHT
}

fn shortened(text: &str) -> String {
    if text.chars().count() <= SHOWN_CHARS {
        return text.to_owned();
    }
    let kept: String = text.chars().take(SHOWN_CHARS - 1).collect();
    format!("{kept}…")
}

/// A curve from the right edge of `from` to the left edge of `to`.
fn link_path(from: &Node, to: &Node) -> String {
    let (x1, y1) = (
        left(from.column) + BOX_WIDTH,
        top(from.row) + BOX_HEIGHT / 2,
    );
    let (x2, y2) = (left(to.column), top(to.row) + BOX_HEIGHT / 2);
    let bend = (x2 - x1) / 2;
    format!(
        "M{x1} {y1} C{} {y1} {} {y2} {x2} {y2}",
        x1 + bend,
        x2 - bend
    )
}

fn kind_class(column: Column) -> &'static str {
    match column {
        Column::Vpc => "node vpc",
        Column::Subnet => "node subnet",
        Column::Vm => "node vm",
        Column::SecurityGroup => "node security-group",
    }
}

/// The graph as an `<svg>` element titled `title`, or a note when there is nothing to draw.
pub fn svg(graph: &Graph, title: &str) -> String {
    if graph.nodes.is_empty() {
        return view! {
            <p class="muted">"Nothing here yet: create a VPC on the VPCs page, then security groups and VMs."</p>
        }
        .to_html();
    }
    let rows = Column::ALL
        .iter()
        .map(|column| graph.rows(*column))
        .max()
        .unwrap_or_default();
    let width = 2 * MARGIN + 3 * COLUMN_WIDTH + BOX_WIDTH;
    let height = top(rows) + MARGIN;
    let headings = Column::ALL
        .iter()
        .map(|column| {
            view! { <text class="heading" x=left(*column) y=TOP - 14>{column.heading()}</text> }
        })
        .collect_view();
    let links = graph
        .links
        .iter()
        .map(|(from, to)| view! { <path class="link" d=link_path(&graph.nodes[*from], &graph.nodes[*to]) /> })
        .collect_view();
    let nodes = graph
        .nodes
        .iter()
        .map(|node| {
            let (x, y) = (left(node.column), top(node.row));
            let tooltip = format!("{}: {} ({})", node.column.heading(), node.name, node.detail);
            view! {
                <g class=kind_class(node.column)>
                    <title>{tooltip}</title>
                    <rect x=x y=y width=BOX_WIDTH height=BOX_HEIGHT rx=6 />
                    <text class="name" x=x + 10 y=y + 19>{shortened(&node.name)}</text>
                    <text class="detail" x=x + 10 y=y + 36>{shortened(&node.detail)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            xmlns="http://www.w3.org/2000/svg"
            viewBox=format!("0 0 {width} {height}")
            role="img"
            aria-label=title.to_owned()
        >
            <title>{title.to_owned()}</title>
            {headings}
            {links}
            {nodes}
        </svg>
    }
    .to_html()
}

#[cfg(test)]
mod tests {
    use spinneret_drivers::model::{Iid, VPCInfo};

    use super::*;

    #[test]
    fn names_are_escaped_and_long_ones_shortened() {
        let vpc = VPCInfo {
            iid: Iid::new(
                "<b>a-very-long-vpc-name-indeed</b>".to_owned(),
                String::new(),
            ),
            ipv4_cidr: "10.0.0.0/16".into(),
            ..VPCInfo::default()
        };
        let drawn = svg(&Graph::of(&[vpc], &[], &[]), "Topology of x");
        assert!(drawn.starts_with("<svg"), "{drawn}");
        assert!(
            !drawn.contains("<b>"),
            "markup in names is escaped: {drawn}"
        );
        assert!(drawn.contains("&lt;b&gt;a-very-long-vpc-na…"), "{drawn}");
        assert!(drawn.contains("10.0.0.0/16"));
    }

    #[test]
    fn links_run_from_right_edge_to_left_edge() {
        let node = |column, row| Node {
            column,
            row,
            name: String::new(),
            detail: String::new(),
        };
        assert_eq!(
            link_path(&node(Column::Vpc, 0), &node(Column::Subnet, 1)),
            "M180 63 C205 63 205 125 230 125"
        );
    }

    #[test]
    fn an_empty_graph_says_what_to_do() {
        assert!(svg(&Graph::default(), "t").contains("create a VPC"));
    }
}
