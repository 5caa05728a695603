/** @odoo-module **/
/*
 * Steps shared by the journeys of both addons (customer_credit imports them as
 * "@customer_archive/../tests/tours/customer_archive_tour_utils").
 *
 * Selectors go by technical names (button and field names, data-menu-xmlid), never by
 * the labels a user reads: the journeys run in zh_CN as well as in English (one exception
 * until the credit profile has its Hold button: the Actions menu item, in both languages).
 */

// A refusal is a RedirectWarning whose primary button is the next step (open the file,
// request an override): with true the journeys follow that button; with false they close
// the dialog with its X and go there by the menus and the form's own buttons (as with
// the plain error dialogs refusals used to be).
export const REFUSAL_LEADS_SOMEWHERE = true;

// Manager menus 档案 → 待审批 / 信用 → 待审批 → 超额审批 as [section, item] (null: the
// journeys go through the lists of all files / of all overrides instead).
export const FILES_TO_APPROVE_MENU = [
  "customer_archive.customer_archive_menu_files",
  "customer_archive.menu_customer_archive_to_approve",
];
export const CREDIT_TO_APPROVE_MENU = [
  "customer_credit.customer_credit_menu_root",
  "customer_credit.menu_customer_credit_override_to_approve",
];

// The Put on Hold button of the credit profile (action_credit_hold opens the hold
// wizard); false: the Hold or Release wizard of the profile's Actions menu.
export const PROFILE_HOLD_BUTTON = true;

/** Open an app from the apps menu of the navbar. */
export function openApp(xmlid) {
  return [
    {
      content: "open the apps menu",
      trigger: ".o_navbar_apps_menu button:enabled",
      run: "click",
    },
    {
      content: `open app ${xmlid}`,
      trigger: `.o_app[data-menu-xmlid='${xmlid}']`,
      run: "click",
    },
    {content: "the app is open", trigger: `.o_menu_brand[data-menu-xmlid='${xmlid}']`},
  ];
}

/** Open a menu item of the current app: sections first (their dropdowns), then the item. */
export function openMenu(...xmlids) {
  const item = xmlids.pop();
  return [
    ...xmlids.map((xmlid) => ({
      content: `open menu section ${xmlid}`,
      trigger: `.o_menu_sections [data-menu-xmlid='${xmlid}']`,
      run: "click",
    })),
    {
      content: `open menu ${item}`,
      trigger: `.o_menu_sections [data-menu-xmlid='${item}'], .o-dropdown--menu [data-menu-xmlid='${item}']`,
      run: "click",
    },
  ];
}

/** Click a header button of the form view by its method name. */
export function clickButton(name, content) {
  return {
    content: content || `click ${name}`,
    trigger: `.o_form_view .o_statusbar_buttons button[name='${name}']:enabled:visible`,
    run: "click",
  };
}

/** The form's status bar shows this state. */
export function stateIs(value) {
  return {
    content: `the record is ${value}`,
    trigger: `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='${value}']`,
  };
}

/**
 * A refusal dialog is shown, in Chinese. ``follow``: click its primary button (the next
 * step of a RedirectWarning); otherwise close it and stay where the refusal happened.
 */
export function followRefusal(content, follow = REFUSAL_LEADS_SOMEWHERE) {
  return [
    {content: content || "the action is refused", trigger: ".modal .modal-body"},
    {
      // The people of these journeys read Chinese: no English sentence in a
      // refusal (three Latin words in a row).
      content: "the refusal is in Chinese",
      trigger:
        ".modal .modal-body:not(:contains(/[A-Za-z]+[ ,]+[A-Za-z]+[ ,]+[A-Za-z]+/))",
    },
    ...(follow
      ? [
          {
            content: "follow the refusal's button",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
          },
        ]
      : [
          {
            content: "close the refusal",
            trigger: ".modal .modal-header .btn-close",
            run: "click",
          },
          {content: "the dialog is gone", trigger: "body:not(:has(.modal))"},
        ]),
  ];
}

/** Open the row of a list view that contains this text; wait for its form. */
export function openRow(text) {
  return [
    {
      content: `open the row of ${text}`,
      trigger: `.o_list_view .o_data_row td.o_data_cell:contains('${text}')`,
      run: "click",
    },
    {
      content: "its form is open",
      trigger: ".o_form_view .o_form_renderer .o_statusbar_status",
    },
  ];
}

/** Pick a record in a many2one field by typing (part of) its name. */
export function pickMany2one(field, text) {
  return [
    {
      content: `type ${text} in ${field}`,
      trigger: `.o_field_widget[name='${field}'] input`,
      run: `edit ${text}`,
    },
    {
      content: `select ${text}`,
      trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains('${text}')`,
      run: "click",
    },
  ];
}

export function saveForm() {
  return [
    {content: "save the form", trigger: ".o_form_button_save:enabled", run: "click"},
    {content: "wait for the save", trigger: ".o_form_readonly, .o_form_saved"},
  ];
}
