/**
 * The frame of one screen: its heading (focused when the screen opens, so keyboard and screen-reader
 * users land on it) and its body.
 */
import { type ReactNode, useEffect, useRef } from 'react';

export function Screen(props: { heading: string; actions?: ReactNode; children: ReactNode; wide?: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section className={props.wide ? 'screen screen-wide' : 'screen'} aria-labelledby="screen-heading">
      <div className="screen-head">
        <h1 id="screen-heading" ref={heading} tabIndex={-1}>
          {props.heading}
        </h1>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}
