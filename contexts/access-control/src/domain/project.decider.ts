import type { Decider, DomainEvent } from '#kernel';
import { Conflict } from '#kernel';

export type ProjectCommand = { type: 'CreateProject'; projectId: string; name: string };

export type ProjectCreated = DomainEvent<'ProjectCreated', { projectId: string; name: string }>;
export type ProjectEvent = ProjectCreated;

export type ProjectState = { status: 'None' } | { status: 'Active'; name: string };

export const projectStreamId = (projectId: string) => `project-${projectId}`;

export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = {
  initialState: () => ({ status: 'None' }),
  decide(command, state) {
    switch (command.type) {
      case 'CreateProject':
        if (state.status !== 'None') throw new Conflict(`project ${command.projectId} already exists`);
        return [{ type: 'ProjectCreated', data: { projectId: command.projectId, name: command.name } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ProjectCreated':
        return { status: 'Active', name: event.data.name };
      default:
        return state;
    }
  },
};
