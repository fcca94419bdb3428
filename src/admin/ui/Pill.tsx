/** Status pills carry their text, never colour alone. */
const labels: Record<string, string> = {
  draft: 'Draft',
  pending_approval: 'In review',
  approved: 'Approved',
  published: 'Published',
  archived: 'Archived',
  pending: 'Compliance pending',
  flagged: 'Flagged',
  rejected: 'Rejected',
  active: 'Active',
  inactive: 'Inactive',
  suspended: 'Suspended',
};

export function statusLabel(status: string): string {
  return labels[status] ?? status.replaceAll('_', ' ');
}

export function Pill({ value, label, tone }: { value: string; label?: string; tone?: string }) {
  return <span className={`pill pill-${tone ?? value}`}>{label ?? statusLabel(value)}</span>;
}

/** Compliance shown with its word, so "approved" content and "approved" compliance are not confused. */
export function CompliancePill({ value }: { value: string }) {
  const text = value === 'approved' ? 'Compliant' : value === 'pending' ? 'Compliance pending' : statusLabel(value);
  return <Pill value={value} tone={`compliance-${value}`} label={text} />;
}
