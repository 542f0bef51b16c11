// Small building blocks on top of macaw-ui, shared by every page.
import { Box, Spinner, Text } from "@saleor/macaw-ui";
import { useId, type ReactNode } from "react";

import { describeError } from "../errors";

export function Screen({ children, label }: { children: ReactNode; label: string }) {
  return (
    <Box
      as="main"
      aria-label={label}
      padding={4}
      display="flex"
      flexDirection="column"
      gap={4}
      backgroundColor="default1"
      color="default1"
      __minHeight="100vh"
    >
      <Box display="flex" flexDirection="column" gap={4} data-testid="screen-content">
        {children}
      </Box>
    </Box>
  );
}

export function Card({
  title,
  children,
  actions,
  labelledBy,
}: {
  title?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
  labelledBy?: string;
}) {
  const id = useId();
  return (
    <Box
      as="section"
      aria-labelledby={title ? (labelledBy ?? id) : undefined}
      borderStyle="solid"
      borderWidth={1}
      borderColor="default1"
      borderRadius={4}
      padding={4}
      display="flex"
      flexDirection="column"
      gap={3}
    >
      {(title || actions) && (
        <Box display="flex" justifyContent="space-between" alignItems="center" gap={2}>
          {title && (
            <Text as="h2" id={labelledBy ?? id} size={5} fontWeight="bold">
              {title}
            </Text>
          )}
          {actions}
        </Box>
      )}
      {children}
    </Box>
  );
}

const TONES = {
  error: { backgroundColor: "critical1", role: "alert" },
  warning: { backgroundColor: "warning1", role: "alert" },
  info: { backgroundColor: "info1", role: "status" },
  success: { backgroundColor: "success1", role: "status" },
} as const;

export function Notice({
  tone,
  title,
  children,
  testId,
}: {
  tone: keyof typeof TONES;
  title: ReactNode;
  children?: ReactNode;
  testId?: string;
}) {
  const { backgroundColor, role } = TONES[tone];
  return (
    <Box
      role={role}
      data-testid={testId}
      data-tone={tone}
      backgroundColor={backgroundColor}
      borderRadius={3}
      padding={3}
      display="flex"
      flexDirection="column"
      gap={1}
    >
      <Text fontWeight="bold">{title}</Text>
      {children && <Text size={3}>{children}</Text>}
    </Box>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  const { title, text } = describeError(error);
  return (
    <Notice tone="error" title={title} testId="error">
      {text}
    </Notice>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <Box role="status" display="flex" alignItems="center" gap={2} padding={2}>
      <Spinner />
      <Text>{label}</Text>
    </Box>
  );
}

export function SelectField({
  label,
  value,
  onChange,
  options,
  disabled,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <Box as="label" htmlFor={id}>
        <Text size={2} color="default2">
          {label}
        </Text>
      </Box>
      <Box
        as="select"
        id={id}
        value={value}
        disabled={disabled}
        onChange={(event: React.ChangeEvent<HTMLSelectElement>) => onChange(event.target.value)}
        padding={2}
        borderRadius={3}
        borderStyle="solid"
        borderWidth={1}
        borderColor="default1"
        backgroundColor="default1"
        color="default1"
        fontSize={3}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </Box>
    </Box>
  );
}

/** A plain table with macaw colours; rows stay real table rows for screen readers. */
export function Table({ caption, head, children }: { caption: string; head: string[]; children: ReactNode }) {
  return (
    <Box as="table" width="100%" __borderCollapse="collapse">
      <Box as="caption" __position="absolute" __left="-9999px">
        {caption}
      </Box>
      <thead>
        <tr>
          {head.map((label) => (
            <Box
              as="th"
              key={label}
              textAlign="left"
              paddingY={2}
              paddingX={2}
              borderBottomStyle="solid"
              borderBottomWidth={1}
              borderColor="default1"
            >
              <Text size={2} color="default2">
                {label}
              </Text>
            </Box>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </Box>
  );
}

export function Cell({ children }: { children?: ReactNode }) {
  return (
    <Box
      as="td"
      paddingY={2}
      paddingX={2}
      borderBottomStyle="solid"
      borderBottomWidth={1}
      borderColor="default1"
      style={{ verticalAlign: "top" }}
    >
      {children}
    </Box>
  );
}
