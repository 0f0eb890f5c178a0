/** Login: nickname, hidden password, and the offer to create an unknown pilot (logic/login-flow.ts). */
import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useState } from 'react';
import { Frame } from '../components/frame';
import { useGame } from '../game-context';
import {
  answerCreate,
  enterText,
  initialLogin,
  type LoginAction,
  type LoginState,
  loginFailed,
  stepBack,
  submitLogin,
} from '../logic/login-flow';
import { confirmAnswer } from '../logic/trade';

export function LoginScreen(props: { info: string | null }) {
  const game = useGame();
  const { t } = game;
  const [state, setState] = useState<LoginState>(() => initialLogin(props.info));
  const active = game.inputActive;

  useInput(
    (input, key) => {
      if (state.step === 'offer-create') {
        const answer = confirmAnswer(input, key);
        if (answer) setState(answerCreate(state, answer === 'yes'));
        return;
      }
      if (key.escape) setState(stepBack(state));
    },
    { isActive: active },
  );

  async function send(action: LoginAction): Promise<void> {
    const outcome = await game.gate.run(() =>
      action.kind === 'login'
        ? game.api.login(action.nickname, action.password)
        : game.api.register(action.nickname, action.password),
    );
    if (outcome.ok) game.beginSession(outcome.value.player, outcome.value.loginBonus);
    else setState((s) => loginFailed(t, s, action, outcome.error));
  }

  function submit(): void {
    const result = submitLogin(t, state);
    setState(result.state);
    if (result.action) void send(result.action);
  }

  function change(value: string): void {
    const result = enterText(t, state, value);
    setState(result.state);
    if (result.action) void send(result.action);
  }
  const field = (label: string, step: LoginState['step'], value: string, mask?: string) => (
    <Box>
      <Text bold={state.step === step}>{label}</Text>
      {state.step === step ? (
        <TextInput
          value={value}
          onChange={change}
          onSubmit={submit}
          focus={active}
          {...(mask ? { mask } : {})}
        />
      ) : (
        <Text dimColor>{mask ? mask.repeat([...value].length) : value}</Text>
      )}
    </Box>
  );

  const showPassword = state.step !== 'nickname';
  const showConfirm = state.step === 'confirm' || (state.step === 'busy' && state.creating);
  return (
    <Frame
      heading={t.login.heading}
      keys={state.step === 'offer-create' ? t.login.offerKeys : t.login.keys}
      notice={
        state.error
          ? { text: state.error, tone: 'bad' }
          : state.info
            ? { text: state.info, tone: 'info' }
            : null
      }
    >
      <Box flexDirection="column" marginTop={1}>
        {field(t.login.nickname, 'nickname', state.nickname)}
        {showPassword ? field(t.login.password, 'password', state.password, '*') : null}
        {state.step === 'password' && state.creating ? (
          <Text dimColor>{t.login.newPilotPassword}</Text>
        ) : null}
        {showConfirm ? field(t.login.confirmPassword, 'confirm', state.confirm, '*') : null}
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
