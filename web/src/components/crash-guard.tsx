/** The last line of defence: a render error shows a calm message and a reload button, never a stack. */
import { Component, type ReactNode } from 'react';

export class CrashGuard extends Component<{ message: string; reload: string; children: ReactNode }> {
  override state = { crashed: false };

  static getDerivedStateFromError(): { crashed: boolean } {
    return { crashed: true };
  }

  override render(): ReactNode {
    if (!this.state.crashed) return this.props.children;
    return (
      <main className="crashed" role="alert">
        <p>{this.props.message}</p>
        <button type="button" className="button primary" onClick={() => window.location.reload()}>
          {this.props.reload}
        </button>
      </main>
    );
  }
}
