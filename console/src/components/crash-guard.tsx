/**
 * Catches a render error anywhere below it, so Ink never paints its stack-trace overlay: the error goes
 * to `onCrash` (which restores the terminal and prints one friendly line) and nothing is drawn.
 */
import { Component, type ReactNode } from 'react';

interface Props {
  onCrash: (error: unknown) => void;
  children: ReactNode;
}

export class CrashGuard extends Component<Props, { crashed: boolean }> {
  override state = { crashed: false };

  static getDerivedStateFromError(): { crashed: boolean } {
    return { crashed: true };
  }

  override componentDidCatch(error: unknown): void {
    this.props.onCrash(error);
  }

  override render(): ReactNode {
    return this.state.crashed ? null : this.props.children;
  }
}
