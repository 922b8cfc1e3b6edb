import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { createItem } from '../workflow/create-item';
import { transitionItem, type TransitionInput } from '../workflow/transition-item';
import { commentOnItem } from '../workflow/comment-on-item';
import { workflowContext, type WorkflowContext } from '../workflow/workflow-context';
import type { TransitionAction } from '../workflow/transition-table';

/** The members the seeder acts as (the control plane's demo users), one per predefined role. */
export interface SeedMember {
  id: string;
  name: string;
  roleKey: string;
  permissions: ReadonlySet<Permission>;
}

interface Step {
  as: string;
  action: TransitionAction;
  input?: TransitionInput;
}

interface SampleItem {
  title: string;
  body: string;
  channel: string;
  tags: string[];
  author: string;
  steps: Step[];
  comments?: Array<{ as: string; text: string }>;
}

const DAY = 24 * 3600_000;

/** Sample items that walk the workflow through every state, written by the demo's own members. */
function samples(now: number): SampleItem[] {
  const nextWeek = now + 7 * DAY;
  return [
    {
      title: 'Autumn newsletter: first draft',
      body: 'Three stories from the studio this season.',
      channel: 'email',
      tags: ['newsletter'],
      author: 'editor',
      steps: [],
    },
    {
      title: 'Launch post for the new website',
      body: 'We are live! A short tour of what changed.',
      channel: 'blog',
      tags: ['launch', 'website'],
      author: 'editor',
      steps: [{ as: 'editor', action: 'submit' }],
      comments: [{ as: 'approver', text: 'Looks good so far; checking the screenshots next.' }],
    },
    {
      title: 'Customer story: Globex',
      body: 'How Globex cut their reporting time in half.',
      channel: 'blog',
      tags: ['case study'],
      author: 'editor',
      steps: [
        { as: 'editor', action: 'submit' },
        { as: 'approver', action: 'request-changes', input: { note: 'Please add a quote from their team lead.' } },
      ],
      comments: [{ as: 'editor', text: 'Asked Globex for a quote; will resubmit this week.' }],
    },
    {
      title: 'Holiday opening hours',
      body: 'Closed on the 25th and 26th; open as usual otherwise.',
      channel: 'social',
      tags: ['announcement'],
      author: 'editor',
      steps: [
        { as: 'editor', action: 'submit' },
        { as: 'approver', action: 'approve' },
      ],
    },
    {
      title: 'Webinar invitation: planning 2026',
      body: 'Join us for a 45-minute session on next year’s plans.',
      channel: 'email',
      tags: ['event'],
      author: 'admin',
      steps: [
        { as: 'admin', action: 'submit' },
        { as: 'approver', action: 'approve' },
        { as: 'admin', action: 'schedule', input: { scheduledAt: nextWeek } },
      ],
      comments: [{ as: 'owner', text: 'Scheduled for next week, after the press release.' }],
    },
    {
      title: 'Welcome to our new team members',
      body: 'Say hello to Dana and Sam, who joined the design team.',
      channel: 'social',
      tags: ['team'],
      author: 'editor',
      steps: [
        { as: 'editor', action: 'submit' },
        { as: 'approver', action: 'approve' },
        { as: 'admin', action: 'publish' },
      ],
    },
    {
      title: 'Old pricing page copy',
      body: 'Superseded by the new pricing.',
      channel: 'blog',
      tags: ['pricing'],
      author: 'editor',
      steps: [{ as: 'admin', action: 'archive' }],
    },
  ];
}

/**
 * Sample content in the demo tenant's own file: items in every workflow state with comments,
 * each step taken by the member whose role allows it (through the workflow commands, so the
 * history reads as it would). One transaction: the demo has all of it or none.
 */
export function seedDemoContent(db: TenantDatabase, members: SeedMember[]): { items: number; comments: number; nextDueAt: number | null } {
  const byRole = new Map(members.map((m) => [m.roleKey, m]));
  const as = (roleKey: string): WorkflowContext => {
    const member = byRole.get(roleKey);
    if (!member) throw new Error(`the demo has no ${roleKey}`);
    return workflowContext(db, { id: member.id, name: member.name }, member.permissions);
  };
  const now = Date.now();
  return db.write(() => {
    let comments = 0;
    let nextDueAt: number | null = null;
    const items = samples(now);
    for (const sample of items) {
      const id = createItem(as(sample.author), { title: sample.title, body: sample.body, channel: sample.channel, tags: sample.tags, scheduled_at: null });
      for (const step of sample.steps) {
        const result = transitionItem(as(step.as), id, step.action, step.input);
        if (result.to === 'scheduled' && result.scheduledAt !== null) nextDueAt = Math.min(nextDueAt ?? Infinity, result.scheduledAt);
      }
      for (const comment of sample.comments ?? []) {
        commentOnItem(as(comment.as), id, comment.text);
        comments++;
      }
    }
    return { items: items.length, comments, nextDueAt };
  });
}
