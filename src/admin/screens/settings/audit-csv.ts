import type { Schemas } from '../../api/client.ts';

type Entry = Schemas['AuditEntry'];

const cell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  // Quote every cell; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
};

export function auditCsv(entries: Entry[], actorName: (type: string, id: string | null) => string): string {
  const header = [
    'id',
    'occurredAt',
    'actorType',
    'actorId',
    'actor',
    'action',
    'entityType',
    'entityId',
    'requestId',
    'ip',
    'userAgent',
    'before',
    'after',
  ];
  const rows = entries.map((e) =>
    [
      e.id,
      e.occurredAt,
      e.actor.type,
      e.actor.id,
      actorName(e.actor.type, e.actor.id),
      e.action,
      e.entity.type,
      e.entity.id,
      e.requestId,
      e.ip,
      e.userAgent,
      e.changes.before,
      e.changes.after,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header.map(cell).join(','), ...rows].join('\r\n')}\r\n`;
}

export function download(name: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
