/** Login: nickname, hidden password, and the offer to create an unknown pilot (logic/login-flow.ts). */
import { Box, Text, useInput } from 'ink';
import { Frame } from '../components/frame';
import { useGame } from '../game-context';
import { useRefState } from '../hooks/use-ref-state';
import { initialLogin, type LoginAction, loginFailed, loginKey, type LoginState } from '@metagameplay/game';

export function LoginScreen(props: { info: string | null }) {
  const game = useGame();
  const { t } = game;
  const [state, setState, current] = useRefState<LoginState>(() => initialLogin(props.info));

  async function send(action: LoginAction): Promise<void> {
    const outcome = await game.gate.run(() =>
      action.kind === 'login'
        ? game.api.login(action.nickname, action.password)
        : game.api.register(action.nickname, action.password),
    );
    if (outcome.ok) {
      game.beginSession(outcome.value.player, outcome.value.loginBonus, action.kind === 'login');
    } else setState(loginFailed(t, current.current, action, outcome.error));
  }

  useInput(
    (input, key) => {
      const result = loginKey(t, current.current, input, key);
      setState(result.state);
      if (result.action) void send(result.action);
    },
    { isActive: game.inputActive },
  );

  const field = (label: string, step: LoginState['step'], value: string, masked: boolean) => {
    const shown = masked ? '*'.repeat([...value].length) : value;
    const editing = state.step === step;
    return (
      <Box>
        <Text bold={editing}>{label}</Text>
        <Text dimColor={!editing}>{shown}</Text>
        {editing && game.inputActive ? <Text inverse> </Text> : null}
      </Box>
    );
  };

  const showConfirm = state.step === 'confirm' || (state.step === 'busy' && state.creating);
  let notice = null;
  if (state.error) notice = { text: state.error, tone: 'bad' as const };
  else if (state.info) notice = { text: state.info, tone: 'info' as const };
  return (
    <Frame
      heading={t.login.heading}
      keys={state.step === 'offer-create' ? t.login.offerKeys : t.login.keys}
      notice={notice}
    >
      <Box flexDirection="column" marginTop={1}>
        {field(t.login.nickname, 'nickname', state.nickname, false)}
        {state.step !== 'nickname' ? field(t.login.password, 'password', state.password, true) : null}
        {state.step === 'password' && state.creating ? (
          <Text dimColor>{t.login.newPilotPassword}</Text>
        ) : null}
        {showConfirm ? field(t.login.confirmPassword, 'confirm', state.confirm, true) : null}
        {state.step === 'confirm' ? <Text dimColor>{t.login.confirmHint}</Text> : null}
        {state.step === 'offer-create' ? (
          <Box marginTop={1}>
            <Text color="yellow">{t.login.offerCreate(state.nickname)}</Text>
          </Box>
        ) : null}
        {state.step === 'busy' ? (
          <Box marginTop={1}>
            <Text color="cyan">{state.creating ? t.login.creating : t.login.checking}</Text>
          </Box>
        ) : null}
      </Box>
    </Frame>
  );
}
