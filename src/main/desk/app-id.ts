// One identity for the packager (appId) and the running desk: Windows shows the desk's
// notifications only for the AppUserModelId its installer registered, which is this one.
export const APP_ID = 'cloud.gramercy.gatehouse'
