/**
 * A figure in a row with an icon for the eye and its name for a screen reader ("Power: 60"): power
 * (⚡) and rating (★) in the shop, the inventory, the lobby and the leaderboard.
 */
import type { ReactNode } from 'react';

const ICONS = {
  power: { icon: '⚡', className: 'item-power' },
  rating: { icon: '★ ', className: 'pilot-rating' },
};

export function Stat(props: {
  kind: keyof typeof ICONS;
  label: string;
  title?: string;
  children: ReactNode;
}) {
  const { icon, className } = ICONS[props.kind];
  return (
    <span className={className} title={props.title}>
      <span aria-hidden="true">{icon}</span>
      <span className="sr-only">{props.label}: </span>
      {props.children}
    </span>
  );
}
