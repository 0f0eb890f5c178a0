/** Battle screens not built yet: says so instead of an empty page. */
import { Screen } from '../components/screen';
import { useGame } from '../game-context';

export function PlaceholderScreen() {
  const { w } = useGame();
  return (
    <Screen heading={w.nav.battles}>
      <p className="empty">{w.comingSoon}</p>
    </Screen>
  );
}
