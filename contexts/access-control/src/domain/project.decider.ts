import type { Decider, DomainEvent } from '#kernel';
import { Conflict, NotFound } from '#kernel';
import type { ProjectSettings } from './project-settings.js';
import { checkProjectSettings, DEFAULT_PROJECT_SETTINGS } from './project-settings.js';

export type CreateProject = { type: 'CreateProject'; projectId: string; name: string };
export type ChangeProjectSettings = { type: 'ChangeProjectSettings'; projectId: string; settings: ProjectSettings };
export type ProjectCommand = CreateProject | ChangeProjectSettings;

export type ProjectCreated = DomainEvent<'ProjectCreated', { projectId: string; name: string }>;
/** The whole settings document after the change (plain JSON), so any reader needs only the latest. */
export type ProjectSettingsChanged = DomainEvent<'ProjectSettingsChanged', { projectId: string; settings: ProjectSettings }>;
export type ProjectEvent = ProjectCreated | ProjectSettingsChanged;

export type ProjectState = { status: 'None' } | { status: 'Active'; name: string; settings: ProjectSettings };

export const projectStreamId = (projectId: string) => `project-${projectId}`;

const sameSettings = (a: ProjectSettings, b: ProjectSettings) => JSON.stringify(a) === JSON.stringify(b);

function createProject(command: CreateProject, state: ProjectState): ProjectEvent[] {
  if (state.status !== 'None') throw new Conflict(`project ${command.projectId} already exists`);
  return [{ type: 'ProjectCreated', data: { projectId: command.projectId, name: command.name } }];
}

function changeProjectSettings(command: ChangeProjectSettings, state: ProjectState): ProjectEvent[] {
  if (state.status === 'None') throw new NotFound(`project ${command.projectId} not found`);
  checkProjectSettings(command.settings);
  if (sameSettings(state.settings, command.settings)) return []; // nothing changed, nothing to record
  return [{ type: 'ProjectSettingsChanged', data: { projectId: command.projectId, settings: command.settings } }];
}

export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = {
  initialState: () => ({ status: 'None' }),
  decide(command, state) {
    switch (command.type) {
      case 'CreateProject':
        return createProject(command, state);
      case 'ChangeProjectSettings':
        return changeProjectSettings(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ProjectCreated':
        return { status: 'Active', name: event.data.name, settings: DEFAULT_PROJECT_SETTINGS };
      case 'ProjectSettingsChanged':
        // Settings recorded before a field existed read it at its default.
        return state.status === 'Active' ? { ...state, settings: { ...DEFAULT_PROJECT_SETTINGS, ...event.data.settings } } : state;
      default: {
        // The compiler's check that every event type has its case; at run time an unknown type changes nothing.
        const _unhandled: never = event;
        return state;
      }
    }
  },
};
