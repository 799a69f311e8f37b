import type { ReactNode } from 'react';

interface CardProps {
  title?: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}

/** A titled panel: the unit every view is laid out in. */
export function Card({ title, subtitle, actions, children, className, testId }: CardProps) {
  return (
    <section className={`card${className ? ` ${className}` : ''}`} data-testid={testId}>
      {(title !== undefined || actions !== undefined) && (
        <header className="card-header">
          <div className="card-heading">
            {title !== undefined && <h2 className="card-title">{title}</h2>}
            {subtitle !== undefined && <p className="card-subtitle">{subtitle}</p>}
          </div>
          {actions !== undefined && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}
