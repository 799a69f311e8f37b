import type { ReactNode } from 'react';
import type { RunSummaryJson } from '../api/types';

type Tone = 'neutral' | 'success' | 'danger' | 'warning' | 'info' | 'accent';

export function Badge({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: Tone;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const STATUS_TONE: Record<RunSummaryJson['status'], Tone> = {
  success: 'success',
  failed: 'danger',
  running: 'info',
};

export function StatusBadge({ status }: { status: RunSummaryJson['status'] }) {
  return <Badge tone={STATUS_TONE[status]}>{status}</Badge>;
}

/** Whether the run's checkout had uncommitted changes (unknown outside a git checkout). */
export function DirtyBadge({ dirty }: { dirty: boolean | null }) {
  if (dirty === null) return null;
  return dirty ? (
    <Badge tone="warning" title="uncommitted changes when the run started">
      dirty
    </Badge>
  ) : (
    <Badge tone="neutral" title="clean checkout">
      clean
    </Badge>
  );
}
