/** A player's nickname as a link to its console page (a real href, so it opens in a new tab too). */
import { useGame } from '../game-context';
import { routePath } from '../router';

export function PlayerLink(props: { id: string; nickname: string }) {
  const { navigate } = useGame();
  const route = { name: 'adminPlayer', id: props.id } as const;
  return (
    <a
      href={routePath(route)}
      onClick={(event) => {
        event.preventDefault();
        navigate(route);
      }}
    >
      {props.nickname}
    </a>
  );
}
