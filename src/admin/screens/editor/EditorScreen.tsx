import { PageHeader } from '../../ui/PageHeader.tsx';

/** Placeholder until this screen is built (issue 16). */
export default function EditorScreen() {
  return <PageHeader title="Editor" />;
}
