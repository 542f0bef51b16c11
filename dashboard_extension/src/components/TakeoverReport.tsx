import { Box, Button, Input, Text } from "@saleor/macaw-ui";
import { useState } from "react";

import { useDashboard } from "../dashboard";
import { formatMoney } from "../i18n";
import { REPORT, type Money, type ReportRow, type TakeoverReport } from "../queries";
import { Card, Cell, ErrorNotice, Loading, Notice, Table } from "./ui";
import { useAction } from "./useAction";

const OUTCOMES = [
  { key: "handedBack", label: "Handed back", color: "#3b82f6" },
  { key: "shopperCompleted", label: "Shopper completed", color: "#16a34a" },
  { key: "draftsCompleted", label: "Draft completed", color: "#a855f7" },
  { key: "expired", label: "Expired", color: "#f59e0b" },
] as const;
const OTHER_COLOR = "#9ca3af";

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Revenue without ever adding up different currencies. */
export function revenueText(row: ReportRow, locale: string): string {
  if (row.revenue) return formatMoney(row.revenue, locale);
  if (row.revenueByCurrency.length === 0) return "—";
  return row.revenueByCurrency.map((money) => formatMoney(money, locale)).join(" + ");
}

function csvField(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  // Spreadsheets run cells that start like a formula; an email never should.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line per rep plus a totals line; one revenue column per currency. */
export function reportCsv(report: TakeoverReport): string {
  const currencies = [
    ...new Set(
      [report.totals, ...report.rows].flatMap((row) => row.revenueByCurrency.map((m) => m.currency)),
    ),
  ].sort();
  const head = [
    "Rep",
    "Sessions",
    "Handed back",
    "Shopper completed",
    "Drafts completed",
    "Expired",
    "Median minutes",
    ...currencies.map((currency) => `Revenue ${currency}`),
  ];
  const line = (row: ReportRow) => {
    const amounts = new Map(row.revenueByCurrency.map((m: Money) => [m.currency, m.amount]));
    return [
      row.staffEmail ?? "Total",
      row.sessions,
      row.handedBack,
      row.shopperCompleted,
      row.draftsCompleted,
      row.expired,
      row.medianMinutes,
      ...currencies.map((currency) => (amounts.has(currency) ? (amounts.get(currency) ?? 0).toFixed(2) : "")),
    ]
      .map(csvField)
      .join(",");
  };
  return [head.map(csvField).join(","), ...report.rows.map(line), line(report.totals)].join("\r\n") + "\r\n";
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Stacked bars: each rep's sessions by how they ended. */
export function SessionsChart({ rows }: { rows: ReportRow[] }) {
  const max = Math.max(1, ...rows.map((row) => row.sessions));
  const barHeight = 22;
  const labelWidth = 180;
  const width = 560;
  const scale = (width - labelWidth - 40) / max;
  const height = rows.length * (barHeight + 8) + 8;
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <svg
        role="img"
        aria-label="Sessions per rep by outcome"
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width }}
      >
        {rows.map((row, index) => {
          const y = 8 + index * (barHeight + 8);
          let x = labelWidth;
          const parts: { label: string; color: string; value: number }[] = OUTCOMES.map((outcome) => ({
            label: outcome.label,
            color: outcome.color,
            value: row[outcome.key],
          }));
          const counted = parts.reduce((sum, part) => sum + part.value, 0);
          parts.push({ label: "Open or ended otherwise", color: OTHER_COLOR, value: row.sessions - counted });
          return (
            <g key={row.staffEmail ?? "total"} data-testid="chart-bar">
              <text x={labelWidth - 8} y={y + barHeight * 0.7} textAnchor="end" fontSize="12" fill="currentColor">
                {row.staffEmail}
              </text>
              {parts
                .filter((part) => part.value > 0)
                .map((part) => {
                  const w = part.value * scale;
                  const rect = (
                    <rect key={part.label} x={x} y={y} width={w} height={barHeight} fill={part.color}>
                      <title>{`${row.staffEmail}: ${part.value} ${part.label.toLowerCase()}`}</title>
                    </rect>
                  );
                  x += w;
                  return rect;
                })}
              <text x={x + 6} y={y + barHeight * 0.7} fontSize="12" fill="currentColor">
                {row.sessions}
              </text>
            </g>
          );
        })}
      </svg>
      <Box display="flex" gap={3} flexWrap="wrap">
        {[...OUTCOMES, { key: "other", label: "Open or ended otherwise", color: OTHER_COLOR }].map((part) => (
          <Box key={part.key} display="flex" gap={1} alignItems="center">
            <svg width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" fill={part.color} />
            </svg>
            <Text size={2}>{part.label}</Text>
          </Box>
        ))}
      </Box>
    </Box>
  );
}

/** "Cart takeovers" → Report: per rep, a chart, a table and a CSV download. */
export function TakeoverReportCard({ today = new Date() }: { today?: Date }) {
  const { plugin, locale } = useDashboard();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 29 * 86_400_000)));
  const [to, setTo] = useState(isoDay(today));
  const [channel, setChannel] = useState("");
  const [report, setReport] = useState<TakeoverReport | null>(null);
  const { busy, error, run } = useAction();

  const load = () =>
    run("report", async () => {
      const data = await plugin(REPORT, {
        from,
        to,
        channel: channel.trim() || null,
      });
      setReport(data.takeoverReport);
    });

  return (
    <Card title="Report">
      <Box
        as="form"
        display="grid"
        __gridTemplateColumns="1fr 1fr 1fr auto"
        gap={2}
        alignItems="end"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          void load();
        }}
      >
        <Input label="From" type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        <Input label="To" type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        <Input
          label="Channel (slug, optional)"
          value={channel}
          onChange={(event) => setChannel(event.target.value)}
        />
        <Button type="submit" variant="secondary" disabled={busy !== null || !from || !to}>
          Show report
        </Button>
      </Box>
      <Text size={2} color="default2">
        Sessions started in the period (UTC days), counted for the rep who held them last. Revenue
        is the total of the orders they led to; different currencies are shown apart, never added.
      </Text>
      {error !== null && <ErrorNotice error={error} />}
      {busy && <Loading label="Loading the report…" />}
      {report && report.rows.length === 0 && <Notice tone="info" title="No takeovers in this period" />}
      {report && report.rows.length > 0 && (
        <Box display="flex" flexDirection="column" gap={3} data-testid="report">
          <SessionsChart rows={report.rows} />
          <Table
            caption="Takeovers per rep"
            head={["Rep", "Sessions", "Handed back", "Shopper completed", "Draft completed", "Expired", "Median", "Revenue"]}
          >
            {[...report.rows, report.totals].map((row) => (
              <tr key={row.staffEmail ?? "totals"} data-testid={row.staffEmail ? "report-row" : "report-totals"}>
                <Cell>
                  <Text fontWeight={row.staffEmail ? undefined : "bold"}>{row.staffEmail ?? "Total"}</Text>
                </Cell>
                {[row.sessions, row.handedBack, row.shopperCompleted, row.draftsCompleted, row.expired].map(
                  (value, index) => (
                    <Cell key={index}>
                      <Text>{value}</Text>
                    </Cell>
                  ),
                )}
                <Cell>
                  <Text>{row.medianMinutes === null ? "—" : `${row.medianMinutes} min`}</Text>
                </Cell>
                <Cell>
                  <Text>{revenueText(row, locale)}</Text>
                </Cell>
              </tr>
            ))}
          </Table>
          <Box>
            <Button
              variant="secondary"
              onClick={() => download(`cart-takeovers-${from}-to-${to}.csv`, reportCsv(report))}
            >
              Download CSV
            </Button>
          </Box>
        </Box>
      )}
    </Card>
  );
}
